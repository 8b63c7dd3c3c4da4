import type { OfferOutcome } from '@parley/sdk/contract'
import type { OfferRecord } from './store.js'

// A routing_offers row as both stores' tables hold it (the same columns), and its record: pure.

/** A routing_offers row. */
export interface OfferRow {
  brand_id: string; conv_id: string; agent_id: string; offered_at: number; expires_at: number
  outcome: OfferOutcome | null; ended_at: number | null
}

/** The record of a routing_offers row. */
export function toOffer(r: OfferRow): OfferRecord {
  return {
    brandId: r.brand_id, convId: r.conv_id, agentId: r.agent_id, offeredAt: r.offered_at, expiresAt: r.expires_at,
    outcome: r.outcome, endedAt: r.ended_at,
  }
}
