import type { AppendRequest, AppendResult, Store } from '../store/store.js'

// Group commit. Appends that arrive within the same turn of the event loop, or while the store is
// busy, are written in one transaction, so one fsync covers all of them. Up to `maxInFlight` batches
// may be handed to the store at once (it commits them one after another, in order). Callbacks run
// in batch order, synchronously after each commit, so acks and fan-out leave in sequence order.

/** Called once per request: with its result, or with an error when the batch could not commit. */
export type AppendCallback = (result: AppendResult | Error) => void

/** Queues appends and commits them in batches. */
export interface Committer {
  append(req: AppendRequest, done: AppendCallback): void
  /** Resolves once everything queued so far has been committed (or failed). */
  drain(): Promise<void>
  /** Batches committed and messages in them, for metrics and the benchmark. */
  stats(): { batches: number; messages: number }
}

/**
 * A committer over `store`, taking at most `maxBatch` requests per transaction. A callback that
 * throws is reported to `onCallbackError` and does not stop the others.
 */
export function createCommitter(store: Store, opts: {
  maxBatch?: number
  onCallbackError?: (err: unknown) => void
  /** Wraps the running of one batch's callbacks (the relay sends each connection's frames of the batch in one write). */
  aroundCallbacks?: (run: () => void) => void
  /** Batches handed to the store at once (default 1: measured best on two cores, see test/bench/README.md). */
  maxInFlight?: number
} = {}): Committer {
  const maxBatch = opts.maxBatch ?? 2000
  const maxInFlight = opts.maxInFlight ?? 1
  let pending: { req: AppendRequest; done: AppendCallback }[] = []
  let inFlight = 0
  let scheduled = false
  let batches = 0
  let messages = 0
  const idle: (() => void)[] = []

  function schedule(): void {
    if (scheduled || inFlight >= maxInFlight) return
    scheduled = true
    // setImmediate runs after the poll phase: every frame read in this turn joins the batch.
    setImmediate(flush)
  }

  async function flush(): Promise<void> {
    scheduled = false
    if (inFlight >= maxInFlight || pending.length === 0) return
    inFlight++
    const batch = pending.length > maxBatch ? pending.splice(0, maxBatch) : pending
    if (batch === pending) pending = []
    let results: AppendResult[] | Error
    try {
      results = await store.appendMessages(batch.map((b) => b.req))
      batches++
      messages += batch.length
    } catch (err) {
      results = err instanceof Error ? err : new Error(String(err))
    }
    inFlight--
    // Hand the next batch to the store before answering this one: the store commits it while the
    // event loop sends this batch's acks and fan-out. (Its answers still come after these.)
    if (pending.length > 0) void flush()
    const answer = () => {
      for (let i = 0; i < batch.length; i++) {
        const r = results instanceof Error ? results : results[i]!
        try {
          batch[i]!.done(r)
        } catch (err) {
          opts.onCallbackError?.(err)
        }
      }
    }
    if (opts.aroundCallbacks) opts.aroundCallbacks(answer)
    else answer()
    if (inFlight === 0 && pending.length === 0) while (idle.length) idle.shift()!()
  }

  return {
    append(req, done) {
      pending.push({ req, done })
      schedule()
    },
    drain() {
      if (inFlight === 0 && pending.length === 0) return Promise.resolve()
      return new Promise((resolve) => idle.push(resolve))
    },
    stats: () => ({ batches, messages }),
  }
}
