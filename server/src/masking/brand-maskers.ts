import type { MaskingConfig } from '@parley/sdk/contract'
import { createRelayMasker, vetPattern, type PatternCompiler, type RelayMasker } from '@parley/sdk/masking'
import type { Bus } from '../bus/bus.js'
import type { Store } from '../store/store.js'

// Each brand's masking configuration, compiled once and shared by every connection of the brand on
// this relay node. A save replaces the brand's masker here at once, and tells every node through the
// bus (a node event, never sent to a client) to forget theirs: their next message reads the store
// again. A node that may have missed such events (a bus gap) forgets the maskers of the brands it
// names (all of them when it can't tell).

/** Brands whose maskers are kept; past it the least recently used is compiled again on its next use. */
export const MAX_CACHED_MASKERS = 10_000

/** Why a configuration is refused: the first brand pattern that is not accepted, and the reason. */
export interface PatternProblem { name: string; reason: string }

/** The brands' compiled maskers. */
export class BrandMaskers {
  readonly #store: Store
  readonly #compile: PatternCompiler
  readonly #max: number
  readonly #maskers = new Map<string, RelayMasker>()
  /** The brand last in `#maskers`' order: a brand sending message after message is not moved each time. */
  #newest = ''
  readonly #loading = new Map<string, Promise<RelayMasker>>()
  /** Bumped by every save, so a load that read the store before a save never overwrites its result. */
  #saves = 0
  readonly #bus: Bus
  readonly #unsubscribe: (() => void)[]

  constructor(store: Store, compile: PatternCompiler, bus: Bus, max = MAX_CACHED_MASKERS) {
    this.#store = store
    this.#compile = compile
    this.#bus = bus
    this.#max = max
    this.#unsubscribe = [
      bus.subscribeNodes((e) => { if (e.kind === 'brand-document-saved' && e.document === 'masking') this.#forget(e.brandId) }),
      bus.onGap((brands) => {
        if (brands === 'all') this.#forget(null)
        else for (const b of brands) this.#forget(b)
      }),
    ]
  }

  /** Stops listening to the bus. */
  close(): void {
    for (const u of this.#unsubscribe) u()
  }

  /** The brand's masker if it is compiled already (the message path takes it without waiting). */
  peek(brandId: string): RelayMasker | undefined {
    const m = this.#maskers.get(brandId)
    if (m && brandId !== this.#newest) {
      // Most recently used last: the Map's order is the eviction order.
      this.#maskers.delete(brandId)
      this.#maskers.set(brandId, m)
      this.#newest = brandId
    }
    return m
  }

  /** The brand's masker, read from the store and compiled when not cached. */
  get(brandId: string): Promise<RelayMasker> {
    const m = this.peek(brandId)
    if (m) return Promise.resolve(m)
    let loading = this.#loading.get(brandId)
    if (!loading) {
      loading = this.#load(brandId).finally(() => this.#loading.delete(brandId))
      this.#loading.set(brandId, loading)
    }
    return loading
  }

  /**
   * Checks a configuration before it is saved: each brand pattern must pass vetPattern and compile
   * with the relay's engine. Returns the first problem, or the compiled masker.
   */
  check(config: MaskingConfig): { ok: true; masker: RelayMasker } | { ok: false; problem: PatternProblem } {
    for (const p of config.patterns ?? []) {
      let reason = vetPattern(p)
      if (reason === null) {
        try { this.#compile(p) } catch (err) { reason = err instanceof Error ? err.message : String(err) }
      }
      if (reason !== null) return { ok: false, problem: { name: p.name, reason } }
    }
    return { ok: true, masker: this.compile(config) }
  }

  /** Uses `masker` for the brand from now on (its configuration was just saved); the other nodes forget theirs. */
  saved(brandId: string, masker: RelayMasker): void {
    // Heard here too, at once: forgets, then keeps the new one.
    this.#bus.publishToNodes({ kind: 'brand-document-saved', brandId, document: 'masking' })
    this.#saves++
    this.#keep(brandId, masker)
  }

  /** Compiles a configuration (null: the defaults). */
  compile(config: MaskingConfig | null): RelayMasker {
    return createRelayMasker(config, this.#compile)
  }

  async #load(brandId: string): Promise<RelayMasker> {
    for (;;) {
      const saves = this.#saves
      const config = await this.#store.getMaskingConfig(brandId)
      // A save while the store was read: what it saved is newer than what was read.
      if (saves !== this.#saves) {
        const saved = this.#maskers.get(brandId)
        if (saved) return saved
        continue
      }
      const masker = this.compile(config)
      this.#keep(brandId, masker)
      return masker
    }
  }

  /** Forgets the brand's masker (null: every brand's); a load already reading the store reads again. */
  #forget(brandId: string | null): void {
    this.#saves++
    if (brandId === null) this.#maskers.clear()
    else this.#maskers.delete(brandId)
    this.#newest = ''
  }

  #keep(brandId: string, masker: RelayMasker): void {
    this.#maskers.delete(brandId)
    if (this.#maskers.size >= this.#max) this.#maskers.delete(this.#maskers.keys().next().value!)
    this.#maskers.set(brandId, masker)
    this.#newest = brandId
  }
}
