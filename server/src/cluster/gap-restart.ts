import type { Bus } from '../bus/bus.js'
import type { OpenSession } from '../relay/context.js'

// What a node does when it may have missed fan-out events (bus.onGap): every connection it holds
// at that moment is closed with 1012 (restarting; reconnect and resume), each at a random moment
// within `spreadMs` so the clients don't all come back at once. The widget, console and SDK resume
// from their cursors on reconnect (to any node), so whatever the bus lost comes from the store,
// once and in order. Connections opened after the gap was noticed resumed from the store already.
// Cheaper re-syncs were considered (replaying the gap from the store per connection) but would
// re-implement resume on the server for every frame kind (typing, receipts, queue, presence); the
// clients' own resume is the one path already proven to lose and double nothing.

/** How long the closes after a gap are spread over (ms). */
export const GAP_RESTART_SPREAD_MS = 2000

/** Closes the node's connections after each gap; returns a function that stops it (and pending closes). */
export function restartSessionsOnGap(bus: Bus, sessions: ReadonlySet<OpenSession>, opts: { spreadMs?: number; onGap?: (connections: number) => void } = {}): () => void {
  const spreadMs = opts.spreadMs ?? GAP_RESTART_SPREAD_MS
  const pending = new Map<OpenSession, NodeJS.Timeout>()
  const stop = bus.onGap(() => {
    opts.onGap?.(sessions.size)
    for (const s of sessions) {
      if (pending.has(s)) continue
      const t = setTimeout(() => {
        pending.delete(s)
        if (sessions.has(s)) s.fail('PARLEY_ERR_SERVER_SHUTTING_DOWN', [])
      }, Math.floor(Math.random() * spreadMs))
      t.unref()
      pending.set(s, t)
    }
  })
  return () => {
    stop()
    for (const t of pending.values()) clearTimeout(t)
    pending.clear()
  }
}
