import { BEHAVIOURAL_CONTEXT_FIELDS } from '@parley/sdk/contract'
import type { VisitorDataStore } from '../store.js'
import type { PgDb } from './db.js'

// A visitor's consent to behavioural tracking. `denied` deletes the behavioural context values
// (BEHAVIOURAL_CONTEXT_FIELDS) from the visitor's record and from every conversation of theirs,
// closed ones too, and zeroes the visit count (itself behavioural); from then on every writer of a
// context (visitors.ts, conversation-insert.ts, conversations.ts) leaves those values out while the
// visitor's row says `denied`, and recordVisit counts no visit. Locks go conversations first (in
// conv_id order, as appends take them), then the visitor's row, as every writer of a context takes
// them: a context written at the same moment is either stripped here or written after, knowing the
// denial, and a conversation opened meanwhile is either seen by the strip or opened after it.

type ConsentMethods = Pick<VisitorDataStore, 'recordConsent'>

/** The behavioural context keys, as a text[] parameter (jsonb - text[] drops them). */
export const BEHAVIOURAL_KEYS: readonly string[] = BEHAVIOURAL_CONTEXT_FIELDS

/**
 * SQL for the jsonb context `ctx` as stored for visitor `visitor` of brand `brand`: without its
 * behavioural values when that visitor denied consent. `keys` is a parameter holding BEHAVIOURAL_KEYS.
 */
export function gatedContextSql(ctx: string, brand: string, visitor: string, keys: string): string {
  return `CASE WHEN EXISTS (SELECT 1 FROM visitors g WHERE g.brand_id = ${brand} AND g.visitor_id = ${visitor} AND g.consent = 'denied')
    THEN ${ctx} - ${keys}::text[] ELSE ${ctx} END`
}

/** The Store's consent method over `db`. */
export function createConsent(db: PgDb): ConsentMethods {
  return {
    async recordConsent(brandId, visitorId, event) {
      return db.tx(brandId, async (tx) => {
        const denied = event.state === 'denied'
        await tx.run('SELECT 1 FROM conversations WHERE brand_id = $1 AND visitor_id = $2 ORDER BY conv_id FOR UPDATE', [brandId, visitorId])
        await tx.run(`INSERT INTO visitors AS v (brand_id, visitor_id, created_at, last_seen_at, visit_count, context, consent)
          VALUES ($1, $2, $3, $3, 0, NULL, $4)
          ON CONFLICT (brand_id, visitor_id) DO UPDATE SET consent = $4,
            context = CASE WHEN $5 THEN v.context - $6::text[] ELSE v.context END,
            visit_count = CASE WHEN $5 THEN 0 ELSE v.visit_count END`, [brandId, visitorId, event.at, event.state, denied, BEHAVIOURAL_KEYS])
        await tx.run('INSERT INTO consent_events (brand_id, visitor_id, at, state, source) VALUES ($1, $2, $3, $4, $5)',
          [brandId, visitorId, event.at, event.state, event.source])
        if (!denied) return { conversations: 0 }
        const conversations = await tx.run(`UPDATE conversations SET context = context - $3::text[]
          WHERE brand_id = $1 AND visitor_id = $2 AND context ?| $3::text[]`, [brandId, visitorId, BEHAVIOURAL_KEYS])
        return { conversations }
      })
    },
  }
}
