import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Store } from '../../../../server/src/store/store.js'
import { STORES, type OpenedStore } from '../../../helpers/stores.js'

// The routing methods of the store: settings, offers (at most one pending per chat, only of a chat
// that still waits, ended once), missed offers, last offers, and requeueing a chat for a skill.

const id = (prefix: string) => `${prefix}${randomBytes(8).toString('hex')}`

describe.each(STORES)('$name store: routing', (factory) => {
  let opened: OpenedStore
  let store: Store
  beforeAll(async () => { opened = await factory.create(); store = opened.store })
  afterAll(async () => { await opened.dispose() })

  /** A brand with two agents and a waiting chat. */
  async function floor() {
    const brandId = id('b_')
    await store.createBrand({ brandId, name: 'Brand', siteKey: id('site_'), allowedOrigins: [`https://${id('o')}.example`], apiKeyHash: id('hash_'), createdAt: 1000 })
    const [ann, ben] = [id('a_'), id('a_')]
    for (const agentId of [ann, ben]) await store.createAgent({ brandId, agentId, email: `${agentId}@agents.example`, name: agentId, passwordHash: 'scrypt$x', createdAt: 1000 })
    const convId = id('c_')
    const [r] = await store.appendMessages([{ brandId, convId, clientMsgId: 'm1', from: { kind: 'visitor', id: id('v_') }, text: 'hi', at: 2000, context: null }])
    expect(r!.ok).toBe(true)
    return { brandId, ann: ann!, ben: ben!, convId }
  }

  it('keeps the routing settings per brand; null before any save', async () => {
    const a = await floor(), b = await floor()
    expect(await store.getRoutingConfig(a.brandId)).toBeNull()
    await store.setRoutingConfig(a.brandId, { mode: 'automatic', offerTimeoutSec: 20 })
    expect(await store.getRoutingConfig(a.brandId)).toEqual({ mode: 'automatic', offerTimeoutSec: 20 })
    expect(await store.getRoutingConfig(b.brandId)).toBeNull()
  })

  it('makes one pending offer per chat, ends it once, and lists who was offered since a time', async () => {
    const f = await floor()
    expect(await store.createOffer({ brandId: f.brandId, convId: f.convId, agentId: f.ann, offeredAt: 3000, expiresAt: 33_000 })).toBe(true)
    expect(await store.createOffer({ brandId: f.brandId, convId: f.convId, agentId: f.ben, offeredAt: 3001, expiresAt: 33_001 })).toBe(false)
    expect((await store.listPendingOffers(f.brandId)).map((o) => o.agentId)).toEqual([f.ann])
    expect((await store.listPendingOffers(null)).some((o) => o.convId === f.convId)).toBe(true)
    // Ending it for another agent ends nothing.
    expect(await store.endOffer(f.brandId, f.convId, f.ben, 'declined', 4000)).toBeNull()
    const ended = await store.endOffer(f.brandId, f.convId, f.ann, 'timeout', 4000)
    expect(ended).toMatchObject({ agentId: f.ann, outcome: 'timeout', endedAt: 4000 })
    expect(await store.endOffer(f.brandId, f.convId, null, 'closed', 4001)).toBeNull()
    expect(await store.createOffer({ brandId: f.brandId, convId: f.convId, agentId: f.ben, offeredAt: 5000, expiresAt: 35_000 })).toBe(true)
    expect(await store.listOfferedAgents(f.brandId, f.convId, 0)).toEqual([f.ann, f.ben].sort())
    expect(await store.listOfferedAgents(f.brandId, f.convId, 4500)).toEqual([f.ben])
    expect(await store.countMissedOffers(f.brandId, 0)).toEqual({ [f.ann]: 1 })
    expect(await store.countMissedOffers(f.brandId, 4001)).toEqual({})
    expect(await store.lastOfferTimes(f.brandId)).toEqual({ [f.ann]: 3000, [f.ben]: 5000 })
  })

  it('refuses an offer of a chat that no longer waits, or to an agent of another brand', async () => {
    const f = await floor(), other = await floor()
    expect(await store.createOffer({ brandId: f.brandId, convId: f.convId, agentId: other.ann, offeredAt: 3000, expiresAt: 4000 })).toBe(false)
    expect((await store.assignConversation(f.brandId, f.convId, f.ann, 3000, { onlyIfWaiting: true })).ok).toBe(true)
    expect(await store.createOffer({ brandId: f.brandId, convId: f.convId, agentId: f.ben, offeredAt: 3000, expiresAt: 4000 })).toBe(false)
    expect(await store.createOffer({ brandId: f.brandId, convId: 'c_none', agentId: f.ben, offeredAt: 3000, expiresAt: 4000 })).toBe(false)
    expect(await store.listPendingOffers(f.brandId)).toEqual([])
  })

  it('requeues a held chat for a skill: unassigned, the leaver no longer in it, queued since then', async () => {
    const f = await floor()
    await store.assignConversation(f.brandId, f.convId, f.ann, 3000, { onlyIfWaiting: true })
    const r = await store.requeueConversation(f.brandId, f.convId, 'billing', f.ann, 4000)
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.conversation).toMatchObject({ assignedAgentId: null, queuedAt: 4000, routing: { skill: 'billing' } })
    expect(await store.isParticipant(f.brandId, f.convId, { kind: 'agent', id: f.ann })).toBe(false)
    expect((await store.listQueue(f.brandId, 10)).map((q) => q.conversation.convId)).toEqual([f.convId])
    expect(await store.requeueConversation(f.brandId, 'c_none', 'billing', f.ann, 4000)).toEqual({ ok: false, code: 'PARLEY_ERR_CONV_NOT_FOUND' })
  })

  it('refuses to requeue a closed chat', async () => {
    const f = await floor()
    await store.assignConversation(f.brandId, f.convId, f.ann, 3000, { onlyIfWaiting: true })
    await store.closeConversation(f.brandId, f.convId, { kind: 'agent', id: f.ann }, 3500)
    expect(await store.requeueConversation(f.brandId, f.convId, 'billing', f.ann, 4000)).toEqual({ ok: false, code: 'PARLEY_ERR_CONV_CLOSED' })
  })

  it('replaces an agent\'s skills whole and keeps them through other changes', async () => {
    const f = await floor()
    expect((await store.getAgent(f.brandId, f.ann))?.skills).toEqual([])
    expect((await store.updateAgent(f.brandId, f.ann, { skills: ['billing', 'tech'] }))?.skills).toEqual(['billing', 'tech'])
    expect((await store.updateAgent(f.brandId, f.ann, { capacity: 5 }))?.skills).toEqual(['billing', 'tech'])
    expect((await store.updateAgent(f.brandId, f.ann, { skills: [] }))?.skills).toEqual([])
  })
})
