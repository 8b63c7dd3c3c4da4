import { inProcessLocks, type BrandLocks } from './brand-locks.js'

// Work for one brand runs one job at a time, in order: two passes of the same brand must not both
// read the floor and offer on it. A pass asked for while one is already waiting to run is that one.
// Each job holds the brand's lock too, which keeps the nodes of a cluster from running at once.

/** Per-brand job chains. */
export class BrandPasses {
  readonly #chains = new Map<string, Promise<void>>()
  readonly #passQueued = new Set<string>()
  readonly #onError: (err: unknown, brandId: string) => void
  readonly #locks: BrandLocks

  constructor(onError: (err: unknown, brandId: string) => void, locks: BrandLocks = inProcessLocks) {
    this.#onError = onError
    this.#locks = locks
  }

  /** Runs `job` after the brand's earlier jobs. */
  run(brandId: string, job: () => Promise<void>): void {
    const next = (this.#chains.get(brandId) ?? Promise.resolve()).then(() => this.#locks.hold(brandId, job)).catch((err: unknown) => this.#onError(err, brandId))
    this.#chains.set(brandId, next)
    void next.then(() => { if (this.#chains.get(brandId) === next) this.#chains.delete(brandId) })
  }

  /** Runs a pass after the brand's earlier jobs, unless one is already waiting to start. */
  pass(brandId: string, pass: () => Promise<void>): void {
    if (this.#passQueued.has(brandId)) return
    this.#passQueued.add(brandId)
    this.run(brandId, async () => {
      this.#passQueued.delete(brandId)
      await pass()
    })
  }

  /** Resolves once every brand's jobs, and the jobs they queued, are done. */
  async idle(): Promise<void> {
    while (this.#chains.size > 0) await Promise.all([...this.#chains.values()])
  }
}
