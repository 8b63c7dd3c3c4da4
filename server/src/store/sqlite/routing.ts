import type Database from 'better-sqlite3'
import type { OfferOutcome, RoutingConfig } from '@parley/sdk/contract'
import type { ConversationRecord, OfferRecord, RequeueResult, Store } from '../store.js'
import { type OfferRow, toOffer } from '../offer-rows.js'
import type { ConversationRow } from './rows.js'
import { factsOf } from '../conversation-columns.js'
import type { SenderKeys } from './senders.js'
import { requeueRefusal, waitsForAgent } from '../../policy/conversation-policy.js'

// Automatic routing in SQLite (migration 11): the brand's settings (brands.routing_config), offers
// of waiting chats to agents (routing_offers: at most one pending per chat, enforced by a partial
// unique index, so two relay nodes can never both offer one chat), and skills' queues.

type RoutingMethods = Pick<Store,
  | 'getRoutingConfig' | 'setRoutingConfig' | 'createOffer' | 'endOffer' | 'expireOffer' | 'pruneEndedOffers' | 'listPendingOffers' | 'listOfferedAgents'
  | 'listDeclinedAgents'
  | 'countMissedOffers' | 'requeueConversation' | 'lastOfferTimes'>

/** What the routing methods share with the rest of the SQLite store. */
export interface RoutingStoreDeps {
  senders: SenderKeys
  /** The record of a conversations row (lastSeq including unindexed messages). */
  conversation: (r: ConversationRow) => ConversationRecord
  /** A conversation's row or participants changed outside an append. */
  forget: (brandId: string, convId: string) => void
}

/** The routing methods of the SQLite store. */
export function createRoutingStore(db: Database.Database, deps: RoutingStoreDeps): RoutingMethods {
  const { senders, conversation, forget } = deps
  const q = {
    config: db.prepare<[string], { routing_config: string | null }>('SELECT routing_config FROM brands WHERE brand_id = ?'),
    setConfig: db.prepare('UPDATE brands SET routing_config = ? WHERE brand_id = ?'),
    conv: db.prepare<[string, string], ConversationRow>('SELECT * FROM conversations WHERE brand_id = ? AND conv_id = ?'),
    agent: db.prepare<[string, string], { agent_id: string }>('SELECT agent_id FROM agents WHERE brand_id = ? AND agent_id = ?'),
    insertOffer: db.prepare(`INSERT INTO routing_offers (brand_id, conv_id, agent_id, offered_at, expires_at)
      VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`),
    endAny: db.prepare<[OfferOutcome, number, string, string], OfferRow>(`UPDATE routing_offers SET outcome = ?, ended_at = ?
      WHERE brand_id = ? AND conv_id = ? AND outcome IS NULL RETURNING *`),
    endAgent: db.prepare<[OfferOutcome, number, string, string, string], OfferRow>(`UPDATE routing_offers SET outcome = ?, ended_at = ?
      WHERE brand_id = ? AND conv_id = ? AND agent_id = ? AND outcome IS NULL RETURNING *`),
    pending: db.prepare<[string], OfferRow>('SELECT * FROM routing_offers WHERE brand_id = ? AND outcome IS NULL ORDER BY expires_at'),
    pendingAll: db.prepare<[], OfferRow>('SELECT * FROM routing_offers WHERE outcome IS NULL ORDER BY expires_at'),
    offered: db.prepare<[string, string, number], { agent_id: string }>(`SELECT DISTINCT agent_id FROM routing_offers
      WHERE brand_id = ? AND conv_id = ? AND offered_at >= ? ORDER BY agent_id`),
    declined: db.prepare<[string, string, number], { agent_id: string }>(`SELECT DISTINCT agent_id FROM routing_offers
      WHERE brand_id = ? AND conv_id = ? AND offered_at >= ? AND outcome = 'declined' ORDER BY agent_id`),
    // One chat timing out again and again to the same agent (nobody else fits) is one chat missed.
    missed: db.prepare<[string, number], { agent_id: string; n: number }>(`SELECT agent_id, count(DISTINCT conv_id) AS n FROM routing_offers
      WHERE brand_id = ? AND outcome = 'timeout' AND ended_at >= ? GROUP BY agent_id`),
    lastOffers: db.prepare<[string], { agent_id: string; at: number }>(`SELECT agent_id, max(offered_at) AS at FROM routing_offers
      WHERE brand_id = ? GROUP BY agent_id`),
    prune: db.prepare<[number, number]>(`DELETE FROM routing_offers WHERE (brand_id, conv_id, offered_at, agent_id) IN (
      SELECT brand_id, conv_id, offered_at, agent_id FROM routing_offers WHERE outcome IS NOT NULL AND ended_at <= ? ORDER BY ended_at LIMIT ?)`),
    // assigned_at stays: a retried transfer's note is told from a new one by it (relay/transfer-note.ts).
    requeue: db.prepare('UPDATE conversations SET assigned_agent = NULL, taken_at = NULL, skill = ?, queued_at = ? WHERE id = ?'),
    leave: db.prepare('DELETE FROM participants WHERE conv = ? AND sender = ?'),
    joined: db.prepare<[number, number], { one: number }>('SELECT 1 AS one FROM participants WHERE conv = ? AND sender = ?'),
    convById: db.prepare<[number], ConversationRow>('SELECT * FROM conversations WHERE id = ?'),
  }

  // The chat must still wait (open, unassigned) when the offer is written: checked in the same
  // IMMEDIATE transaction, so an accept committed a moment before wins and no offer is made.
  const createOfferTx = senders.transaction((o: Omit<OfferRecord, 'outcome' | 'endedAt'>): boolean => {
    const conv = q.conv.get(o.brandId, o.convId)
    if (!conv || !waitsForAgent(factsOf(conv))) return false
    if (!q.agent.get(o.brandId, o.agentId)) return false
    return q.insertOffer.run(o.brandId, o.convId, o.agentId, o.offeredAt, o.expiresAt).changes > 0
  })

  // The chat's state and the offer's end in one transaction: an accept committed before the timer
  // fired (its conversation.assigned not yet published) ends the offer as accepted, not missed.
  const expireOfferTx = db.transaction((brandId: string, convId: string, agentId: string, at: number): OfferRow | undefined => {
    const conv = q.conv.get(brandId, convId)
    const outcome: OfferOutcome = !conv || conv.status !== 'open' ? 'closed'
      : waitsForAgent(factsOf(conv)) ? 'timeout' : conv.assigned_agent === agentId ? 'accepted' : 'taken'
    return q.endAgent.get(outcome, at, brandId, convId, agentId)
  })

  const requeueTx = senders.transaction((brandId: string, convId: string, skill: string, leaving: string, at: number, reassigning: boolean): RequeueResult => {
    const conv = q.conv.get(brandId, convId)
    // Asked in the transaction, as every store does: one who took the chat since the leaver looked
    // keeps it, unless the leaver may still hand it on.
    const leaver = senders.find(brandId, 'agent', leaving)
    const joined = conv !== undefined && leaver !== undefined && q.joined.get(conv.id, leaver) !== undefined
    const refusal = requeueRefusal(conv ? factsOf(conv) : null, joined || reassigning)
    if (refusal || !conv) return { ok: false, code: refusal ?? 'PARLEY_ERR_CONV_NOT_FOUND' }
    forget(brandId, convId)
    q.requeue.run(skill, at, conv.id)
    if (leaver !== undefined) q.leave.run(conv.id, leaver)
    return { ok: true, conversation: conversation(q.convById.get(conv.id)!) }
  })

  return {
    async getRoutingConfig(brandId) {
      const raw = q.config.get(brandId)?.routing_config
      return raw ? (JSON.parse(raw) as RoutingConfig) : null
    },
    async setRoutingConfig(brandId, config) {
      q.setConfig.run(JSON.stringify(config), brandId)
    },
    async createOffer(offer) { return createOfferTx(offer) },
    async endOffer(brandId, convId, agentId, outcome, at) {
      const r = agentId === null ? q.endAny.get(outcome, at, brandId, convId) : q.endAgent.get(outcome, at, brandId, convId, agentId)
      return r ? toOffer(r) : null
    },
    async expireOffer(brandId, convId, agentId, at) {
      const r = expireOfferTx.immediate(brandId, convId, agentId, at)
      return r ? toOffer(r) : null
    },
    async pruneEndedOffers(before, limit) {
      return q.prune.run(before, limit).changes
    },
    async listPendingOffers(brandId) {
      return (brandId === null ? q.pendingAll.all() : q.pending.all(brandId)).map(toOffer)
    },
    async listOfferedAgents(brandId, convId, since) {
      return q.offered.all(brandId, convId, since).map((r) => r.agent_id)
    },
    async listDeclinedAgents(brandId, convId, since) {
      return q.declined.all(brandId, convId, since).map((r) => r.agent_id)
    },
    async countMissedOffers(brandId, since) {
      const out: Record<string, number> = {}
      for (const r of q.missed.all(brandId, since)) out[r.agent_id] = r.n
      return out
    },
    async lastOfferTimes(brandId) {
      const out: Record<string, number> = {}
      for (const r of q.lastOffers.all(brandId)) out[r.agent_id] = r.at
      return out
    },
    async requeueConversation(brandId, convId, skill, leaving, at, reassigning = false) { return requeueTx(brandId, convId, skill, leaving, at, reassigning) },
  }
}
