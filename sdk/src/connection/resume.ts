import type { ClientFrame } from '../contract/frames.js'

// Asking the relay for what a conversation missed (`conversation.resume`), at most one request per
// conversation at a time: a gap noticed twice while the first replay runs asks once.

/** The resume requests running on the current socket. */
export class Resumer {
  readonly #running = new Set<string>()
  readonly #write: (frame: ClientFrame) => boolean
  readonly #isOpen: () => boolean

  constructor(write: (frame: ClientFrame) => boolean, isOpen: () => boolean) {
    this.#write = write
    this.#isOpen = isOpen
  }

  /** Asks for every conversation not already being resumed. */
  request(convs: { convId: string; afterSeq: number }[]): void {
    const fresh = convs.filter((c) => !this.#running.has(c.convId))
    if (!fresh.length || !this.#isOpen()) return
    for (const c of fresh) this.#running.add(c.convId)
    this.#write({ type: 'conversation.resume', convs: fresh })
  }

  /** The relay finished a conversation's replay (`conversation.resumed`). */
  done(convId: string): void {
    this.#running.delete(convId)
  }

  /** The socket is gone, and its requests with it. */
  reset(): void {
    this.#running.clear()
  }
}
