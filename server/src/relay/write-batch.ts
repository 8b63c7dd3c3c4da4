// Coalescing writes. After a group commit, one connection may get several frames (a sender's acks,
// an agent's new messages); corking its socket for the whole batch turns them into one writev
// instead of one system call per frame.

/**
 * The TCP (or TLS) socket under a WebSocket: the upgrade request's own socket, which ws writes its
 * frames to. Corking it holds them; its 'drain' says when it can take more.
 */
export interface Corkable extends NodeJS.EventEmitter {
  cork(): void
  uncork(): void
  readonly writableCorked: number
  readonly writableHighWaterMark: number
}

/**
 * Corks sockets written during `run`, and uncorks them all when it returns. The corked sockets are
 * kept in an array reused from batch to batch, so a batch allocates nothing.
 */
export class WriteBatch {
  readonly #corked: (Corkable | undefined)[] = []
  #count = 0
  #active = false

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
        const socket = this.#corked[i]!
        this.#corked[i] = undefined
        socket.uncork()
      }
    }
  }

  /** Called before a WebSocket writes to `socket`: corks it if a batch is running. */
  willWrite(socket: Corkable): void {
    if (!this.#active) return
    // Outside ws's own per-frame cork (which it undoes before returning), a corked socket is one
    // this batch corked already.
    if (socket.writableCorked > 0) return
    socket.cork()
    this.#corked[this.#count++] = socket
  }
}
