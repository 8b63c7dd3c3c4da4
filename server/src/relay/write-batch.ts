// Coalescing writes. After a group commit, one connection may get several frames (a sender's acks,
// an agent's new messages); each connection's frames of the batch wait on its writer and leave
// together, in one buffer and one write, when the batch's callbacks have run (socket-writer.ts).

/** A connection's writer, holding the frames it got during a batch until the batch ends. */
export interface BatchedWriter {
  /** Writes the frames held for this batch, if any, in order. */
  flushBatch(): void
}

/**
 * Runs a group commit's callbacks as one batch, then flushes every writer that got a frame during
 * it. The writers are kept in an array reused from batch to batch, so a batch allocates nothing.
 */
export class WriteBatch {
  readonly #writers: (BatchedWriter | undefined)[] = []
  readonly #onFlushError: (err: unknown) => void
  #count = 0
  #active = false

  /**
   * `onFlushError` hears a writer's failure: the batch runs inside the committer's flush, where a
   * throw would skip the other writers' acks and reject a promise nobody waits on.
   */
  constructor(onFlushError: (err: unknown) => void) {
    this.#onFlushError = onFlushError
  }

  /** Runs `run` with batching on. */
  around(run: () => void): void {
    this.#active = true
    try {
      run()
    } finally {
      this.#active = false
      const n = this.#count
      this.#count = 0
      for (let i = 0; i < n; i++) {
        const writer = this.#writers[i]!
        this.#writers[i] = undefined
        // One writer's failure must not keep the others' acks back.
        try { writer.flushBatch() } catch (err) { this.#onFlushError(err) }
      }
    }
  }

  /**
   * Whether a batch is running, so `writer` should hold its frame; if so, the writer is flushed when
   * the batch ends. Called by a writer for its first frame of a batch only.
   */
  hold(writer: BatchedWriter): boolean {
    if (!this.#active) return false
    this.#writers[this.#count++] = writer
    return true
  }
}
