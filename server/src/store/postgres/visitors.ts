import { jsonb } from './rows.js'
import type { VisitorContext } from '@parley/sdk/contract'
import type { Store, VisitorRecord } from '../store.js'
import type { PgDb } from './db.js'
import { BEHAVIOURAL_KEYS } from './consent.js'

// Visitors a brand has seen: one row each, upserted on every visit. A visitor who denied consent
// (consent.ts), or whose visit the tracking policy refused, is not counted, and their context is
// stored without its behavioural values.

type VisitorMethods = Pick<Store, 'recordVisit'>

interface VisitorRow {
  brand_id: string; visitor_id: string; created_at: number; last_seen_at: number; visit_count: number; context: VisitorContext | null
}

/** A visit is a new one after 30 minutes of silence, as web analytics count sessions (the SQLite store's rule). */
const VISIT_GAP_MS = 30 * 60 * 1000

/** The Store's visitor methods over `db`. */
export function createVisitors(db: PgDb): VisitorMethods {
  return {
    async recordVisit(brandId, visitorId, context, at, opts): Promise<VisitorRecord> {
      const ctx = jsonb(context)
      // false: the tracking policy refused this visit (DNT, GPC, opt-in without a grant).
      const counted = opts?.counted !== false
      // One statement: two nodes recording the same visitor at once serialize on the row (ON CONFLICT).
      const r = await db.tx(brandId, (tx) => tx.one<VisitorRow>(`
        INSERT INTO visitors AS v (brand_id, visitor_id, created_at, last_seen_at, visit_count, context)
        VALUES ($1, $2, $3, $3, CASE WHEN $7::boolean THEN 1 ELSE 0 END, $4::jsonb)
        ON CONFLICT (brand_id, visitor_id) DO UPDATE SET
          visit_count = v.visit_count + (CASE WHEN NOT $7::boolean OR v.consent = 'denied' THEN 0 WHEN $3 - v.last_seen_at > $5 THEN 1 ELSE 0 END),
          last_seen_at = $3,
          context = coalesce(CASE WHEN v.consent = 'denied' THEN $4::jsonb - $6::text[] ELSE $4::jsonb END, v.context)
        RETURNING brand_id, visitor_id, created_at, last_seen_at, visit_count, context`, [brandId, visitorId, at, ctx, VISIT_GAP_MS, BEHAVIOURAL_KEYS, counted]))
      return {
        brandId: r!.brand_id, visitorId: r!.visitor_id, createdAt: r!.created_at, lastSeenAt: r!.last_seen_at,
        visitCount: r!.visit_count, context: r!.context,
      }
    },
  }
}
