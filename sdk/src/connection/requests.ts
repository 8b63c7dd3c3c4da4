import { ConnectionError, errorInfo } from './connection-error.js'
import type { ClientClock, ConnectionErrorInfo } from './types.js'

// Frames the relay answers: each gets a fresh `ref`, and the first frame carrying that ref settles it.

interface Pending {
  resolve: (frame: unknown) => void
  reject: (err: ConnectionError) => void
  timer: unknown
  what: string
}

/** The requests waiting for an answer on the current connection. */
export class Requests {
  readonly #pending = new Map<string, Pending>()
  readonly #clock: ClientClock
  readonly #timeoutMs: number
  #next = 0

  constructor(clock: ClientClock, timeoutMs: number) {
    this.#clock = clock
    this.#timeoutMs = timeoutMs
  }

  /** Registers a request; returns its ref and the promise of its answer. */
  open<T>(what: string, prefix: string): { ref: string; answer: Promise<T> } {
    const ref = `${prefix}${(this.#next++).toString(36)}`
    const answer = new Promise<T>((resolve, reject) => {
      const timer = this.#clock.setTimeout(() => {
        this.#pending.delete(ref)
        reject(new ConnectionError(errorInfo('PARLEY_ERR_CONNECTION_TIMEOUT', [what, this.#timeoutMs], ref)))
      }, this.#timeoutMs)
      this.#pending.set(ref, { resolve: resolve as (f: unknown) => void, reject, timer, what })
    })
    return { ref, answer }
  }

  /** Settles the request `ref` with a frame; returns false when none was waiting. */
  answer(ref: string, frame: unknown): boolean {
    const p = this.#take(ref)
    if (!p) return false
    p.resolve(frame)
    return true
  }

  /** Fails the request `ref`; returns false when none was waiting. */
  fail(ref: string, info: ConnectionErrorInfo): boolean {
    const p = this.#take(ref)
    if (!p) return false
    p.reject(new ConnectionError(info))
    return true
  }

  /** Fails every waiting request: the connection is gone, their answers will never come. */
  failAll(): void {
    for (const [ref, p] of [...this.#pending]) {
      this.#take(ref)
      p.reject(new ConnectionError(errorInfo('PARLEY_ERR_CONNECTION_LOST', [p.what], ref)))
    }
  }

  #take(ref: string): Pending | undefined {
    const p = this.#pending.get(ref)
    if (!p) return undefined
    this.#pending.delete(ref)
    this.#clock.clearTimeout(p.timer)
    return p
  }
}
