import type { WebSocket } from 'ws'

// Coalescing writes. After a group commit, one connection may get several frames (a sender's acks,
// an agent's new messages); corking its socket for the whole batch turns them into one writev
// instead of one system call per frame.

interface Corkable extends NodeJS.EventEmitter {
  cork(): void
  uncork(): void
}

/** The net.Socket under a ws WebSocket (ws keeps it in a private field), for corking and 'drain'. */
export function rawSocket(ws: WebSocket): Corkable | undefined {
  return (ws as unknown as { _socket?: Corkable })._socket
}

/** Corks sockets written during `run`, and uncorks them all when it returns. */
export class WriteBatch {
  readonly #corked = new Set<Corkable>()
  #active = false

  /** Runs `run` with batching on. */
  around(run: () => void): void {
    this.#active = true
    try {
      run()
    } finally {
      this.#active = false
      for (const socket of this.#corked) socket.uncork()
      this.#corked.clear()
    }
  }

  /** Called before writing to `ws`: corks its socket if a batch is running. */
  willWrite(ws: WebSocket): void {
    if (!this.#active) return
    // cork/uncork nest with ws's own per-frame corking.
    const socket = rawSocket(ws)
    if (!socket || this.#corked.has(socket)) return
    socket.cork()
    this.#corked.add(socket)
  }
}
