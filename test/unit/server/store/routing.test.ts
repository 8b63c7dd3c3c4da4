import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Store } from '../../../../server/src/store/store.js'
import { STORES, type OpenedStore } from '../../../helpers/stores.js'
import { createStoreBrand } from '../../../helpers/brand.js'

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
    const brandId = await createStoreBrand(store, { allowedOrigins: [`https://${id('o')}.example`], createdAt: 1000 })
    const [ann, ben] = [id('a_'), id('a_')]
    for (const agentId of [ann, ben]) await store.createAgent({ brandId, agentId, email: `${agentId}@agents.example`, name: agentId, passwordHash: 'scrypt$x', createdAt: 1000 })
    const convId = id('c_')
    const visitor = { kind: 'visitor' as const, id: id('v_') }
    const [r] = await store.appendMessages([{ brandId, convId, clientMsgId: 'm1', from: visitor, text: 'hi', at: 2000, context: null }])
    expect(r!.ok).toBe(true)
    return { brandId, ann: ann!, ben: ben!, convId, visitor }
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

  it('refuses to requeue a chat the leaver may no longer hand on (a colleague holds it)', async () => {
    const f = await floor()
    await store.assignConversation(f.brandId, f.convId, f.ben, 3000, { onlyIfWaiting: true })
    expect(await store.requeueConversation(f.brandId, f.convId, 'billing', f.ann, 4000)).toEqual({ ok: false, code: 'PARLEY_ERR_CONV_NOT_FOUND' })
    expect(await store.getConversation(f.brandId, f.convId)).toMatchObject({ assignedAgentId: f.ben })
  })

  it('requeues a chat a colleague holds for one reassigning it, who never takes part', async () => {
    const f = await floor()
    await store.assignConversation(f.brandId, f.convId, f.ben, 3000, { onlyIfWaiting: true })
    const r = await store.requeueConversation(f.brandId, f.convId, 'billing', f.ann, 4000, true)
    expect(r).toMatchObject({ ok: true, conversation: { assignedAgentId: null, queuedAt: 4000 } })
    expect(await store.isParticipant(f.brandId, f.convId, { kind: 'agent', id: f.ann })).toBe(false)
  })

  it('refuses to requeue a closed chat, reassigning or not', async () => {
    const f = await floor()
    await store.assignConversation(f.brandId, f.convId, f.ben, 3000, { onlyIfWaiting: true })
    await store.closeConversation(f.brandId, f.convId, { kind: 'agent', id: f.ben }, 3500)
    expect(await store.requeueConversation(f.brandId, f.convId, 'billing', f.ann, 4000, true)).toEqual({ ok: false, code: 'PARLEY_ERR_CONV_CLOSED' })
    expect(await store.isParticipant(f.brandId, f.convId, { kind: 'agent', id: f.ann })).toBe(false)
  })

  it('refuses to requeue a closed chat', async () => {
    const f = await floor()
    await store.assignConversation(f.brandId, f.convId, f.ann, 3000, { onlyIfWaiting: true })
    await store.closeConversation(f.brandId, f.convId, { kind: 'agent', id: f.ann }, 3500)
    expect(await store.requeueConversation(f.brandId, f.convId, 'billing', f.ann, 4000)).toEqual({ ok: false, code: 'PARLEY_ERR_CONV_CLOSED' })
  })

  it('expires an offer as what became of the chat: timeout while it waits, accepted, taken or closed', async () => {
    const offer = (f: { brandId: string; convId: string; ann: string }, at: number) =>
      store.createOffer({ brandId: f.brandId, convId: f.convId, agentId: f.ann, offeredAt: at, expiresAt: at + 30_000 })
    const waiting = await floor()
    expect(await offer(waiting, 3000)).toBe(true)
    expect(await store.expireOffer(waiting.brandId, waiting.convId, waiting.ben, 4000)).toBeNull()
    expect(await store.expireOffer(waiting.brandId, waiting.convId, waiting.ann, 4000)).toMatchObject({ agentId: waiting.ann, outcome: 'timeout', endedAt: 4000 })
    expect(await store.expireOffer(waiting.brandId, waiting.convId, waiting.ann, 4001)).toBeNull()
    const outcomes: string[] = []
    for (const [take, expected] of [['ann', 'accepted'], ['ben', 'taken'], ['close', 'closed']] as const) {
      const f = await floor()
      expect(await offer(f, 3000)).toBe(true)
      if (take === 'close') await store.closeConversation(f.brandId, f.convId, f.visitor, 3500)
      // The pending offer is not in the way of a take: the relay ends it afterwards, as expireOffer does here.
      else expect((await store.assignConversation(f.brandId, f.convId, f[take], 3500, { onlyIfWaiting: true })).ok).toBe(true)
      outcomes.push((await store.expireOffer(f.brandId, f.convId, f.ann, 4000))?.outcome ?? 'none')
      expect(outcomes.at(-1)).toBe(expected)
    }
    expect(await store.countMissedOffers(waiting.brandId, 0)).toEqual({ [waiting.ann]: 1 })
  })

  it('lists the agents who declined a chat since a time, each once', async () => {
    const f = await floor()
    for (const [agentId, at] of [[f.ann, 3000], [f.ann, 5000], [f.ben, 7000]] as const) {
      expect(await store.createOffer({ brandId: f.brandId, convId: f.convId, agentId, offeredAt: at, expiresAt: at + 1000 })).toBe(true)
      await store.endOffer(f.brandId, f.convId, agentId, 'declined', at + 10)
    }
    expect(await store.createOffer({ brandId: f.brandId, convId: f.convId, agentId: f.ben, offeredAt: 9000, expiresAt: 10_000 })).toBe(true)
    await store.endOffer(f.brandId, f.convId, f.ben, 'timeout', 9500)
    expect(await store.listDeclinedAgents(f.brandId, f.convId, 0)).toEqual([f.ann, f.ben].sort())
    expect(await store.listDeclinedAgents(f.brandId, f.convId, 6000)).toEqual([f.ben])
    expect(await store.listDeclinedAgents(f.brandId, f.convId, 8000)).toEqual([])
    expect(await store.listDeclinedAgents((await floor()).brandId, f.convId, 0)).toEqual([])
  })

  it('prunes ended offers of every brand up to a time, oldest first, at most the limit, never a pending one', async () => {
    // Ended long before every other test's offers, so the counts are this test's alone.
    const [f, g] = [await floor(), await floor()]
    const offerAndEnd = async (x: { brandId: string; convId: string }, agentId: string, at: number) => {
      expect(await store.createOffer({ brandId: x.brandId, convId: x.convId, agentId, offeredAt: at, expiresAt: at + 10 })).toBe(true)
      await store.endOffer(x.brandId, x.convId, agentId, 'declined', at + 5)
    }
    await offerAndEnd(f, f.ann, 100)
    await offerAndEnd(g, g.ann, 200)
    await offerAndEnd(f, f.ben, 300)
    expect(await store.createOffer({ brandId: g.brandId, convId: g.convId, agentId: g.ben, offeredAt: 400, expiresAt: 999_999 })).toBe(true)
    expect(await store.pruneEndedOffers(205, 1)).toBe(1)
    expect(await store.lastOfferTimes(f.brandId)).toEqual({ [f.ben]: 300 })
    expect(await store.pruneEndedOffers(305, 10)).toBe(2)
    expect(await store.lastOfferTimes(f.brandId)).toEqual({})
    expect(await store.lastOfferTimes(g.brandId)).toEqual({ [g.ben]: 400 })
    expect((await store.listPendingOffers(g.brandId)).map((o) => o.agentId)).toEqual([g.ben])
  })

  it('replaces an agent\'s skills whole and keeps them through other changes', async () => {
    const f = await floor()
    expect((await store.getAgent(f.brandId, f.ann))?.skills).toEqual([])
    expect((await store.updateAgent(f.brandId, f.ann, { skills: ['billing', 'tech'] }))?.skills).toEqual(['billing', 'tech'])
    expect((await store.updateAgent(f.brandId, f.ann, { capacity: 5 }))?.skills).toEqual(['billing', 'tech'])
    expect((await store.updateAgent(f.brandId, f.ann, { skills: [] }))?.skills).toEqual([])
  })
})
