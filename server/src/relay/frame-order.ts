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

/**
 * How the owner of a frame order (a session) runs a frame and hears of the outcome. One runner
 * serves every owner and is handed the owner each time, so a connection pays for no closures.
 */
export interface FrameRunner<C, O> {
  run(owner: O, frame: ClientFrame): FrameOutcome<C>
  /** A frame was accepted (the flood counter starts again), with the change it asked for; before the next frame runs. */
  accepted(owner: O, change: true | C): void
  /** A handler threw or rejected. */
  failed(owner: O, err: unknown, frame: ClientFrame): void
  /** Whether the connection is closing: queued frames are dropped. */
  isClosing(owner: O): boolean
  /** Whether hello was answered: before that a ping waits its turn like any frame (hello comes first). */
  isAuthenticated(owner: O): boolean
}

/** One connection's frame order. */
export class FrameOrder<C, O> {
  readonly #runner: FrameRunner<C, O>
  readonly #owner: O
  readonly #queue: ClientFrame[] = []
  #busy = false
  #pendingAppends = 0
  /** Made when a frame first waits on a commit: most connections never have one wait. */
  #appendWaiters: (() => void)[] | null = null

  constructor(runner: FrameRunner<C, O>, owner: O) {
    this.#runner = runner
    this.#owner = owner
  }

  /** Runs `frame` now, or after the frames before it. The rate limits bound the queue. */
  push(frame: ClientFrame): void {
    if (this.#busy && !(frame.type === 'ping' && this.#runner.isAuthenticated(this.#owner))) {
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
    if (--this.#pendingAppends > 0 || this.#appendWaiters === null) return
    const waiters = this.#appendWaiters
    this.#appendWaiters = null
    for (const resolve of waiters) resolve()
  }

  /** Drops the frames still waiting (the socket closed). */
  clear(): void {
    this.#queue.length = 0
  }

  #run(frame: ClientFrame): void {
    const runner = this.#runner
    const owner = this.#owner
    if (frame.type !== 'message.send' && frame.type !== 'ping' && this.#pendingAppends > 0) {
      this.#busy = true
      new Promise<void>((resolve) => (this.#appendWaiters ??= []).push(resolve)).then(() => {
        this.#busy = false
        if (runner.isClosing(owner)) return
        this.#run(frame)
        this.#drain()
      }, () => {})
      return
    }
    let pending: FrameOutcome<C>
    try {
      pending = runner.run(owner, frame)
    } catch (err) {
      pending = false
      runner.failed(owner, err, frame)
    }
    if (pending === false) return
    if (!(pending instanceof Promise)) { runner.accepted(owner, pending); return }
    this.#busy = true
    pending.then(
      (ok) => { if (ok !== false) runner.accepted(owner, ok) },
      (err) => runner.failed(owner, err, frame),
    ).finally(() => {
      this.#busy = false
      this.#drain()
    })
  }

  #drain(): void {
    while (!this.#busy && this.#queue.length > 0 && !this.#runner.isClosing(this.#owner)) this.#run(this.#queue.shift()!)
  }
}
