import type { Bus, GapBrands } from '../bus/bus.js'
import type { Clock } from '../deps.js'
import type { Scheduler } from '../routing/scheduler.js'
import type { OpenSession } from './context.js'

// What a node does when it may have missed fan-out events (bus.onGap): the connections it holds of
// the brands whose events were dropped (every connection when unknown: its own subscription broke)
// are closed with 1012 (restarting; reconnect and resume), each at a random moment within the
// spread, so the clients don't all come back at once. The spread grows with the number of
// connections (`ratePerSec` reconnects a second at most, `minSpreadMs` at least). A gap arriving
// while a wave is under way joins it: its connections close within what is left of that spread.
// The widget, console and SDK resume from their cursors on reconnect (to any node), so whatever the
// bus lost comes from the store, once and in order. Connections opened after the gap was noticed
// resumed from the store already. Cheaper re-syncs were considered (replaying the gap from the
// store per connection) but would re-implement resume on the server for every frame kind (typing,
// receipts, queue, presence); the clients' own resume is the one path already proven to lose and
// double nothing.

/** The shortest spread of the closes after a gap (ms). */
export const GAP_RESTART_MIN_SPREAD_MS = 2000

/** How many connections a second a gap closes at most, on average. */
export const GAP_RESTART_RATE_PER_SEC = 500

/** What restartSessionsOnGap needs and tells. */
export interface GapRestartOptions {
  clock: Clock
  scheduler: Scheduler
  /** A number in [0, 1) (Math.random in the relay). */
  random: () => number
  minSpreadMs?: number
  ratePerSec?: number
  /** A gap arrived: how many connections it closes, and of which brands. */
  onGap?: (connections: number, brands: GapBrands) => void
}

/** Closes the node's connections of the brands of each gap; returns a function that stops it (and pending closes). */
export function restartSessionsOnGap(bus: Bus, sessions: ReadonlySet<OpenSession>, opts: GapRestartOptions): () => void {
  const minSpreadMs = opts.minSpreadMs ?? GAP_RESTART_MIN_SPREAD_MS
  const ratePerSec = opts.ratePerSec ?? GAP_RESTART_RATE_PER_SEC
  const pending = new Map<OpenSession, () => void>()
  /** When the wave under way ends (its last close), or 0. */
  let waveEndsAt = 0
  const stop = bus.onGap((brands) => {
    const hit = [...sessions].filter((s) => !pending.has(s) && (brands === 'all' || brands.has(s.brandId)))
    opts.onGap?.(hit.length, brands)
    if (hit.length === 0) return
    const now = opts.clock.now()
    // Joining a wave: what is left of it, unless the rate needs longer; a new wave: at least the minimum.
    const byRate = Math.ceil((hit.length / ratePerSec) * 1000)
    const spread = waveEndsAt > now ? Math.max(waveEndsAt - now, byRate) : Math.max(minSpreadMs, byRate)
    waveEndsAt = now + spread
    for (const s of hit) {
      const cancel = opts.scheduler.at(now + Math.floor(opts.random() * spread), () => {
        pending.delete(s)
        if (sessions.has(s)) s.fail('PARLEY_ERR_SERVER_SHUTTING_DOWN', [])
      })
      pending.set(s, cancel)
    }
  })
  return () => {
    stop()
    for (const cancel of pending.values()) cancel()
    pending.clear()
  }
}
