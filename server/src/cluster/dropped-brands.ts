import { MAX_GAP_BRANDS } from './bus-envelope.js'

// The brands whose events this node failed to publish since it last told the other nodes: a
// bounded set, so a long outage costs a fixed amount of memory and one announcement says "all".

/** Brands with dropped publishes, to announce as a gap. */
export class DroppedBrands {
  #brands: Set<string> | 'all' = new Set()
  readonly #max: number

  constructor(max = MAX_GAP_BRANDS) {
    this.#max = max
  }

  /** Whether there is nothing to announce. */
  get isEmpty(): boolean {
    return this.#brands !== 'all' && this.#brands.size === 0
  }

  /** Records a dropped publish of `brandId`. */
  add(brandId: string): void {
    if (this.#brands === 'all') return
    this.#brands.add(brandId)
    if (this.#brands.size > this.#max) this.#brands = 'all'
  }

  /** What to announce now, emptying the set (give it back with `restore` if the announcement fails). */
  take(): string[] | 'all' {
    const taken = this.#brands === 'all' ? 'all' : [...this.#brands]
    this.#brands = new Set()
    return taken
  }

  /** Puts back what `take` returned (its announcement was dropped too). */
  restore(taken: string[] | 'all'): void {
    if (taken === 'all') this.#brands = 'all'
    else for (const b of taken) this.add(b)
  }
}
