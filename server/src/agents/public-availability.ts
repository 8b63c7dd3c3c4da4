import type { Availability } from '@parley/sdk/contract'
import { hoursState } from '@parley/sdk/rules'
import type { Clock } from '../deps.js'
import type { Store } from '../store/store.js'
import { hasFreeSlot } from './agent-presence.js'
import type { StatusBoard } from './status-board.js'

// The brand's public availability, what every widget on its pages polls. Many pages ask at once, so
// one answer per brand is kept for at most `maxAgeMs` (concurrent asks share the one in flight);
// an agent going away reaches a widget within its poll interval plus that age.

/** The brand-wide part of Availability (the country is the visitor's, and pollMs the relay's). */
export type BrandAvailability = Pick<Availability, 'agentsAvailable' | 'queueLength' | 'inHours'>

/** Brands whose answer is kept before stale ones are swept. */
const SWEEP_ABOVE = 1000

/** Per-brand availability, computed at most once per `maxAgeMs`. */
export class PublicAvailability {
  readonly #store: Store
  readonly #board: StatusBoard
  readonly #clock: Clock
  readonly #maxAgeMs: number
  readonly #cache = new Map<string, { at: number; value: Promise<BrandAvailability> }>()

  constructor(store: Store, board: StatusBoard, clock: Clock, maxAgeMs = 1000) {
    this.#store = store
    this.#board = board
    this.#clock = clock
    this.#maxAgeMs = maxAgeMs
  }

  /** The brand's availability now, or as computed less than `maxAgeMs` ago. */
  get(brandId: string): Promise<BrandAvailability> {
    const now = this.#clock.now()
    const kept = this.#cache.get(brandId)
    if (kept && now - kept.at < this.#maxAgeMs) return kept.value
    if (this.#cache.size >= SWEEP_ABOVE) for (const [b, e] of this.#cache) if (now - e.at >= this.#maxAgeMs) this.#cache.delete(b)
    const value = this.#compute(brandId, now)
    this.#cache.set(brandId, { at: now, value })
    // A failed read is not kept: the next ask tries again.
    value.catch(() => { if (this.#cache.get(brandId)?.value === value) this.#cache.delete(brandId) })
    return value
  }

  async #compute(brandId: string, now: number): Promise<BrandAvailability> {
    const [agents, queueLength, hours] = await Promise.all([
      this.#board.list(brandId), this.#store.countWaitingChats(brandId), this.#store.getBusinessHours(brandId),
    ])
    const h = hoursState(hours, now)
    return { agentsAvailable: agents.filter(hasFreeSlot).length, queueLength, inHours: h.open && !h.holiday }
  }
}
