import type { ClientClock } from '@parley/sdk/connection'
import type { AgentPresence } from '@parley/sdk/contract'
import { isBackOnActivity, isIdleDue, msUntilIdle, type IdleInput } from './idle.js'

// The adapter around idle.ts: one timer for the moment the agent would turn idle, and the calls
// that say so. The page feeds it activity (pointer, keys, focus) and the agent's own presence.

/** Clock and timers, injected so tests run on a fake clock: the connection client's own shape. */
export type IdleTimers = ClientClock

/** What the watch calls: set away automatically, or come back from it. */
export interface IdleCallbacks {
  onAway(): void
  onBack(): void
}

/** Sets the agent away after their idle minutes, and back on their next activity. */
export class IdleWatch {
  readonly #t: IdleTimers
  readonly #cb: IdleCallbacks
  #s: IdleInput
  #timer: unknown = null

  constructor(timers: IdleTimers, callbacks: IdleCallbacks, awayAfterMin: number) {
    this.#t = timers
    this.#cb = callbacks
    this.#s = { status: 'offline', auto: false, awayAfterMin, lastActivityAt: timers.now() }
  }

  /** The agent's own presence changed (from the relay, or the selector). */
  update(p: Pick<AgentPresence, 'status' | 'auto' | 'awayAfterMin'>): void {
    // Turning available (signing in, or back from away in another tab) counts as activity: a tab
    // left idle must not set away again at once, or two tabs would flip the status back and forth.
    const back = p.status === 'available' && this.#s.status !== 'available'
    this.#s = { ...this.#s, status: p.status, auto: p.auto, awayAfterMin: p.awayAfterMin, ...(back ? { lastActivityAt: this.#t.now() } : {}) }
    this.#schedule()
  }

  /** The agent did something in the console: here, or (`elsewhere`) in another tab, which brings them back itself. */
  activity(elsewhere = false): void {
    this.#s.lastActivityAt = this.#t.now()
    if (!elsewhere && isBackOnActivity(this.#s)) {
      // Counted as back at once, so a burst of events asks the relay once.
      this.#s = { ...this.#s, status: 'available', auto: false }
      this.#cb.onBack()
      this.#schedule()
    }
  }

  /** Cancels the pending timer (at sign-out, and before each new one). */
  stop(): void {
    if (this.#timer !== null) this.#t.clearTimeout(this.#timer)
    this.#timer = null
  }

  #schedule(): void {
    this.stop()
    const ms = msUntilIdle(this.#s, this.#t.now())
    if (ms === null) return
    this.#timer = this.#t.setTimeout(() => this.#fire(), ms)
  }

  #fire(): void {
    this.#timer = null
    // Activity since the timer was set moved the moment on: wait for the rest.
    if (!isIdleDue(this.#s, this.#t.now())) return this.#schedule()
    this.#s = { ...this.#s, status: 'away', auto: true }
    this.#cb.onAway()
  }
}
