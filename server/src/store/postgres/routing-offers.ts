import type { OfferOutcome } from '@parley/sdk/contract'
import type { Store } from '../store.js'
import { type OfferRow, toOffer } from '../offer-rows.js'
import type { PgDb } from './db.js'
import { waitsForAgent } from '../../policy/conversation-policy.js'
import type { ConversationRow } from './rows.js'
import { readConversation } from './conversation-lookup.js'
import { factsOf } from '../conversation-columns.js'

// Offers of waiting chats to agents (automatic routing) on PostgreSQL. At most one offer per chat is
// pending: the partial unique index routing_offers_pending refuses a second, so two relay nodes can
// never both offer one chat. Every decision that depends on the chat (may it be offered, what became
// of an expired offer) reads the conversation row locked (FOR UPDATE, conversation-lookup.ts), in
// the transaction that writes the offer: an accept, close or requeue on another node, which update
// that row, either committed before (and is seen) or waits until the offer is written.

type OfferMethods = Pick<Store,
  | 'createOffer' | 'endOffer' | 'expireOffer' | 'listPendingOffers' | 'listOfferedAgents' | 'listDeclinedAgents'
  | 'countMissedOffers' | 'pruneEndedOffers' | 'lastOfferTimes'>

/** What an expired offer to `agentId` ends as, given what became of its chat. */
function expiredOutcome(chat: ConversationRow | null, agentId: string): OfferOutcome {
  if (!chat || chat.status !== 'open') return 'closed'
  if (waitsForAgent(factsOf(chat))) return 'timeout'
  return chat.assigned_agent === agentId ? 'accepted' : 'taken'
}

const END_OFFER = `UPDATE routing_offers SET outcome = $1, ended_at = $2
  WHERE brand_id = $3 AND conv_id = $4 AND ($5::text IS NULL OR agent_id = $5) AND outcome IS NULL RETURNING *`

/** A brand's pending offers, soonest to expire first. */
const PENDING = `SELECT * FROM routing_offers WHERE brand_id = $1 AND outcome IS NULL ORDER BY expires_at, conv_id COLLATE "C"`

/** A map from the rows' agent ids to their numbers. */
function byAgent(rows: { agent_id: string; n: number }[]): Record<string, number> {
  const out: Record<string, number> = {}
  for (const r of rows) out[r.agent_id] = r.n
  return out
}

/** The offer methods of the PostgreSQL store. */
export function createRoutingOffers(db: PgDb): OfferMethods {
  return {
    // The chat must still wait when the offer is written: read locked in the same transaction, so an
    // accept committed a moment before wins and no offer is made. Two nodes offering the same chat
    // take the lock in turn; the second finds the first's offer pending and the index refuses its own.
    async createOffer(o) {
      return db.tx(o.brandId, async (tx) => {
        const chat = await readConversation(tx, o.brandId, o.convId, true)
        if (!chat || !waitsForAgent(factsOf(chat))) return false
        if (!(await tx.one('SELECT 1 FROM agents WHERE brand_id = $1 AND agent_id = $2', [o.brandId, o.agentId]))) return false
        return (await tx.run(`INSERT INTO routing_offers (brand_id, conv_id, agent_id, offered_at, expires_at)
          VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`, [o.brandId, o.convId, o.agentId, o.offeredAt, o.expiresAt])) > 0
      })
    },
    // A second end of the same offer waits for the first's row lock, then finds it ended: null.
    async endOffer(brandId, convId, agentId, outcome, at) {
      const r = await db.tx(brandId, (tx) => tx.one<OfferRow>(END_OFFER, [outcome, at, brandId, convId, agentId]))
      return r ? toOffer(r) : null
    },
    // The chat's state and the offer's end in one transaction: an accept committed before the timer
    // fired (its conversation.assigned not yet published) ends the offer as accepted, not missed; an
    // accept still in flight holds the chat's row, and the read waits for it.
    async expireOffer(brandId, convId, agentId, at) {
      const r = await db.tx(brandId, async (tx) => {
        const outcome = expiredOutcome(await readConversation(tx, brandId, convId, true), agentId)
        return tx.one<OfferRow>(END_OFFER, [outcome, at, brandId, convId, agentId])
      })
      return r ? toOffer(r) : null
    },
    async listPendingOffers(brandId) {
      const rows = await db.tx(brandId, async (tx) => {
        if (brandId !== null) return tx.rows<OfferRow>(PENDING, [brandId])
        // Every brand's: the brands with one, then each brand's own rows under its policy.
        const brands = await tx.rows<{ brand_id: string }>('SELECT brand_id FROM parley_brands_with_pending_offers() AS t(brand_id)')
        const all: OfferRow[] = []
        for (const { brand_id } of brands) {
          await tx.setBrand(brand_id)
          all.push(...await tx.rows<OfferRow>(PENDING, [brand_id]))
        }
        return all.sort((a, b) => a.expires_at - b.expires_at)
      })
      return rows.map(toOffer)
    },
    async listOfferedAgents(brandId, convId, since) {
      const rows = await db.tx(brandId, (tx) => tx.rows<{ agent_id: string }>(`SELECT DISTINCT agent_id COLLATE "C" AS agent_id FROM routing_offers
        WHERE brand_id = $1 AND conv_id = $2 AND offered_at >= $3 ORDER BY 1`, [brandId, convId, since]))
      return rows.map((r) => r.agent_id)
    },
    async listDeclinedAgents(brandId, convId, since) {
      const rows = await db.tx(brandId, (tx) => tx.rows<{ agent_id: string }>(`SELECT DISTINCT agent_id COLLATE "C" AS agent_id FROM routing_offers
        WHERE brand_id = $1 AND conv_id = $2 AND offered_at >= $3 AND outcome = 'declined' ORDER BY 1`, [brandId, convId, since]))
      return rows.map((r) => r.agent_id)
    },
    // One chat timing out again and again to the same agent (nobody else fits) is one chat missed.
    async countMissedOffers(brandId, since) {
      return byAgent(await db.tx(brandId, (tx) => tx.rows<{ agent_id: string; n: number }>(`SELECT agent_id, count(DISTINCT conv_id)::integer AS n
        FROM routing_offers WHERE brand_id = $1 AND outcome = 'timeout' AND ended_at >= $2 GROUP BY agent_id`, [brandId, since])))
    },
    async pruneEndedOffers(before, limit) {
      const r = await db.tx(null, (tx) => tx.one<{ n: number }>('SELECT parley_prune_ended_offers($1, $2) AS n', [before, limit]))
      return r?.n ?? 0
    },
    async lastOfferTimes(brandId) {
      return byAgent(await db.tx(brandId, (tx) => tx.rows<{ agent_id: string; n: number }>(`SELECT agent_id, max(offered_at) AS n
        FROM routing_offers WHERE brand_id = $1 GROUP BY agent_id`, [brandId])))
    },
  }
}
