import type { ServerFrame, VisitorForgotten, VisitorIdentified } from '../contract/frames.js'
import { ConnectionError, errorFromFrame, errorInfo } from './connection-error.js'

// A visitor's identity frames waiting for the relay's answer (visitor.identify → visitor.identified,
// visitor.forget → visitor.forgotten, or an error frame with the same ref). The visitor connection
// has no general requests (createVisitorConnection leaves them out of the widget's bundle), so
// these two get this small table of their own. Answers are taken as the frame arrives, before the
// relay's close after it can fail them as lost. There is no timeout: a relay answers both at once,
// and a socket that died unnoticed is closed by the liveness watchdog, which fails them as lost.

type Answer = VisitorIdentified | VisitorForgotten

interface Pending {
  resolve: (frame: Answer) => void
  reject: (err: ConnectionError) => void
  what: string
}

/** The identity frames sent on the current socket and not yet answered. */
export class IdentityRequests {
  readonly #pending = new Map<string, Pending>()
  #next = 0

  /** Registers a frame of type `what`; returns the ref to send it with and the promise of its answer. */
  open<T extends Answer>(what: string): { ref: string; answer: Promise<T> } {
    const ref = `v${(this.#next++).toString(36)}`
    const answer = new Promise<T>((resolve, reject) => {
      this.#pending.set(ref, { resolve: resolve as (f: Answer) => void, reject, what })
    })
    return { ref, answer }
  }

  /** Settles the request a frame answers; false when the frame answers none of ours. */
  settle(frame: ServerFrame): boolean {
    if (frame.type !== 'visitor.identified' && frame.type !== 'visitor.forgotten' && frame.type !== 'error') return false
    const p = frame.ref === undefined ? undefined : this.#take(frame.ref)
    if (!p) return false
    if (frame.type === 'error') p.reject(new ConnectionError(errorFromFrame(frame)))
    else p.resolve(frame)
    return true
  }

  /** Fails every waiting request: the socket is gone before their answers came. */
  failAll(): void {
    for (const ref of [...this.#pending.keys()]) {
      const p = this.#take(ref)!
      p.reject(new ConnectionError(errorInfo('PARLEY_ERR_CONNECTION_LOST', [p.what], ref)))
    }
  }

  #take(ref: string): Pending | undefined {
    const p = this.#pending.get(ref)
    if (!p) return undefined
    this.#pending.delete(ref)
    return p
  }
}
