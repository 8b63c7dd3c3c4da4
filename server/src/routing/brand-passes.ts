import { inProcessLocks, type BrandLocks } from './brand-locks.js'
import type { Scheduler } from './scheduler.js'
import type { Clock } from '../deps.js'

// Work for one brand runs one job at a time, in order: two passes of the same brand must not both
// read the floor and offer on it. A pass asked for while one is already waiting to run is that one.
// A pass also holds the brand's lock, which keeps the nodes of a cluster from running at once; the
// other jobs (ending one offer) are single atomic store writes and need no lock, so they never wait
// on Redis. A pass that failed (its lock refused: Redis down, another node holding it too long; or
// the store) is tried again `retryMs` later, so a brand never stops being routed on this node.

/** How long after a refused lock the brand's pass is tried again (ms). */
export const PASS_RETRY_MS = 1000

/** What BrandPasses needs besides the lock. */
export interface BrandPassesDeps {
  onError: (err: unknown, brandId: string) => void
  locks?: BrandLocks
  scheduler: Scheduler
  clock: Clock
  retryMs?: number
}

/** Per-brand job chains. */
export class BrandPasses {
  readonly #chains = new Map<string, Promise<void>>()
  readonly #passQueued = new Set<string>()
  /** Retries of refused passes, by brand (cancel functions). */
  readonly #retries = new Map<string, () => void>()
  readonly #d: BrandPassesDeps
  readonly #locks: BrandLocks
  #stopped = false

  constructor(deps: BrandPassesDeps) {
    this.#d = deps
    this.#locks = deps.locks ?? inProcessLocks
  }

  /** Runs `job` after the brand's earlier jobs (without the lock). */
  run(brandId: string, job: () => Promise<void>): void {
    const next = (this.#chains.get(brandId) ?? Promise.resolve()).then(job).catch((err: unknown) => this.#d.onError(err, brandId))
    this.#chains.set(brandId, next)
    void next.then(() => { if (this.#chains.get(brandId) === next) this.#chains.delete(brandId) })
  }

  /** Runs a pass holding the brand's lock after the brand's earlier jobs, unless one is already waiting to start. */
  pass(brandId: string, pass: (signal: AbortSignal) => Promise<void>): void {
    if (this.#stopped || this.#passQueued.has(brandId)) return
    this.#passQueued.add(brandId)
    this.run(brandId, async () => {
      // Cleared before the lock is asked for: a refusal must not leave the brand marked as queued.
      this.#passQueued.delete(brandId)
      try {
        await this.#locks.hold(brandId, pass)
      } catch (err) {
        this.#retryLater(brandId, pass)
        throw err
      }
    })
  }

  /** Cancels the retries waiting; passes asked for from now on are ignored. */
  stop(): void {
    this.#stopped = true
    for (const cancel of this.#retries.values()) cancel()
    this.#retries.clear()
  }

  /** Resolves once every brand's jobs, and the jobs they queued, are done. */
  async idle(): Promise<void> {
    while (this.#chains.size > 0) await Promise.all([...this.#chains.values()])
  }

  #retryLater(brandId: string, pass: (signal: AbortSignal) => Promise<void>): void {
    if (this.#stopped || this.#retries.has(brandId)) return
    const cancel = this.#d.scheduler.at(this.#d.clock.now() + (this.#d.retryMs ?? PASS_RETRY_MS), () => {
      this.#retries.delete(brandId)
      this.pass(brandId, pass)
    })
    this.#retries.set(brandId, cancel)
  }
}
