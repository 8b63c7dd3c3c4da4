import type { ClientFrame } from '@parley/sdk/contract'

// Frames take effect in the order a connection sent them. A frame whose handler waits on the store
// holds the frames after it here; a close or typing frame right after a message waits until that
// message is committed (messages themselves pipeline through the group commit). Ping touches no
// state and is answered at once, even past frames waiting on the store: the client probes a socket
// with it while a message waits for its ack, so a slow commit must not make a healthy socket look dead.

/**
 * What running a frame reports: accepted (true, or a change `C` for the session to apply), refused
 * (false: the handler answered), or a promise of either.
 */
export type FrameOutcome<C = never> = boolean | C | Promise<boolean | C>

/** How the session runs a frame and hears of the outcome. */
export interface FrameRunner<C> {
  run(frame: ClientFrame): FrameOutcome<C>
  /** A frame was accepted (the flood counter starts again), with the change it asked for; before the next frame runs. */
  accepted(change: true | C): void
  /** A handler threw or rejected. */
  failed(err: unknown, frame: ClientFrame): void
  /** Whether the connection is closing: queued frames are dropped. */
  readonly isClosing: boolean
  /** Whether hello was answered: before that a ping waits its turn like any frame (hello comes first). */
  readonly isAuthenticated: boolean
}

/** One connection's frame order. */
export class FrameOrder<C> {
  readonly #runner: FrameRunner<C>
  readonly #queue: ClientFrame[] = []
  #busy = false
  #pendingAppends = 0
  readonly #appendWaiters: (() => void)[] = []

  constructor(runner: FrameRunner<C>) {
    this.#runner = runner
  }

  /** Runs `frame` now, or after the frames before it. The rate limits bound the queue. */
  push(frame: ClientFrame): void {
    if (this.#busy && !(frame.type === 'ping' && this.#runner.isAuthenticated)) {
      this.#queue.push(frame)
      return
    }
    this.#run(frame)
  }

  /** Counts a message queued for commit from this connection; `appendSettled` must follow once. */
  appendStarted(): void {
    this.#pendingAppends++
  }

  /** A queued message's commit finished (stored or refused). */
  appendSettled(): void {
    if (--this.#pendingAppends === 0) for (const resolve of this.#appendWaiters.splice(0)) resolve()
  }

  /** Drops the frames still waiting (the socket closed). */
  clear(): void {
    this.#queue.length = 0
  }

  #run(frame: ClientFrame): void {
    const runner = this.#runner
    if (frame.type !== 'message.send' && frame.type !== 'ping' && this.#pendingAppends > 0) {
      this.#busy = true
      new Promise<void>((resolve) => this.#appendWaiters.push(resolve)).then(() => {
        this.#busy = false
        if (runner.isClosing) return
        this.#run(frame)
        this.#drain()
      }, () => {})
      return
    }
    let pending: FrameOutcome<C>
    try {
      pending = runner.run(frame)
    } catch (err) {
      pending = false
      runner.failed(err, frame)
    }
    if (pending === false) return
    if (!(pending instanceof Promise)) { runner.accepted(pending); return }
    this.#busy = true
    pending.then(
      (ok) => { if (ok !== false) runner.accepted(ok) },
      (err) => runner.failed(err, frame),
    ).finally(() => {
      this.#busy = false
      this.#drain()
    })
  }

  #drain(): void {
    while (!this.#busy && this.#queue.length > 0 && !this.#runner.isClosing) this.#run(this.#queue.shift()!)
  }
}
