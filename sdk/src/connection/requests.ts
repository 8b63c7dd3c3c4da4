import type { ClientFrame } from '../contract/frames.js'
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

/** How often a request refused for the frame rate is sent again (each after the wait the relay named). */
const RATE_RETRIES = 5

/** What sending a request needs of the connection. */
export interface RequestPort {
  clock: ClientClock
  isOpen(): boolean
  write(frame: ClientFrame): void
}

/** Sends `frame` with a fresh ref and resolves with its answer; rejects at once when the socket is not open. */
export async function sendRequest<T>(requests: Requests, port: RequestPort, frame: ClientFrame): Promise<T> {
  // A burst of requests (a console bringing back hundreds of chats) runs into the relay's frame
  // rate; waiting as long as the relay says and asking again keeps the burst at the rate it allows.
  for (let attempt = 0; ; attempt++) {
    try {
      if (!port.isOpen()) throw new ConnectionError(errorInfo('PARLEY_ERR_CONNECTION_LOST', [frame.type]))
      const { ref, answer } = requests.open<T>(frame.type, 'q')
      port.write({ ...frame, ref } as ClientFrame)
      return await answer
    } catch (err) {
      if (!(err instanceof ConnectionError) || err.code !== 'PARLEY_ERR_LIMIT_RATE' || attempt >= RATE_RETRIES) throw err
      await new Promise<void>((resolve) => port.clock.setTimeout(resolve, err.retryAfterMs ?? 1000))
    }
  }
}
