import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand, type TestAgent, type TestBrand } from '../helpers/brand.js'
import { callRest } from '../helpers/rest.js'
import { expectErrorBody } from '../helpers/expect-error.js'
import { connectAgent, connectVisitor, openAndJoin, sendAndAck } from '../helpers/delivery-chat.js'
import { seedHistory } from '../helpers/history-seed.js'

// GET /v1/conversations over a real relay and SQLite file: words found in open conversations as in
// closed ones, every filter alone and together, pages that stay exact under filters, never another
// brand's conversation, and masked text the only text an open conversation is found by.

const DAY = 86_400_000
const T0 = Date.UTC(2026, 10, 2, 12)

describe('GET /v1/conversations: search and filters', () => {
  let relay: TestRelay
  let brand: TestBrand
  let ada: TestAgent
  let bob: TestAgent
  /** Conversation ids by name. */
  const ids: Record<string, string> = {}
  beforeAll(async () => {
    relay = await startRelay()
    brand = await createTestBrand(relay)
    ada = await createTestAgent(relay, brand.brandId, 'Ada')
    bob = await createTestAgent(relay, brand.brandId, 'Bob')
    const names = ['openRefund', 'closedRefund', 'openShipping', 'closedBilling', 'waiting']
    const seeded = await seedHistory(relay.deps.store, brand.brandId, [
      { at: T0, text: 'I want a refund for my parcel', topic: 'billing', agent: ada.agentId },
      { at: T0 + DAY, text: 'Refunds please, the parcel broke', topic: 'billing', agent: bob.agentId, closed: true, csat: 2 },
      { at: T0 + 2 * DAY, text: 'Where is my parcel going', topic: 'shipping', agent: bob.agentId },
      { at: T0 + 3 * DAY, text: 'Invoice question', topic: 'billing', agent: ada.agentId, closed: true, csat: 5 },
      { at: T0 + 4 * DAY, text: 'anyone there about a refund?' },
    ])
    names.forEach((n, i) => { ids[n] = seeded[i]! })
  })
  afterAll(async () => { await relay.close() })

  const list = async (query: string, b: TestBrand = brand): Promise<string[]> => {
    const res = await callRest(relay, { url: `/v1/conversations?${query}`, token: b.apiKey })
    expect(res.status, res.raw).toBe(200)
    return res.body.conversations.map((c: { convId: string }) => c.convId)
  }

  it('finds open conversations by their words as well as closed ones, newest first', async () => {
    expect(await list('q=refund')).toEqual([ids.waiting, ids.openRefund])
    expect(await list('q=refund*')).toEqual([ids.waiting, ids.closedRefund, ids.openRefund])
    expect(await list('q=parcel')).toEqual([ids.openShipping, ids.closedRefund, ids.openRefund])
  })

  it('finds words in an open conversation written after it was listed (its newest messages are not indexed yet)', async () => {
    await relay.deps.store.appendMessages([{ brandId: brand.brandId, convId: ids.openShipping!, clientMsgId: 'late-1', from: { kind: 'visitor', id: `v-${ids.openShipping}` }, text: 'tracking number lost', at: T0 + 2 * DAY + 10, context: null }])
    expect(await list('q=tracking')).toEqual([ids.openShipping])
  })

  it('narrows words to open or closed conversations with status', async () => {
    expect(await list('q=parcel&status=open')).toEqual([ids.openShipping, ids.openRefund])
    expect(await list('q=parcel&status=closed')).toEqual([ids.closedRefund])
  })

  it.each([
    ['agentId of Ada', () => `agentId=${ada.agentId}`, () => [ids.closedBilling, ids.openRefund]],
    ['agentId of Bob', () => `agentId=${bob.agentId}`, () => [ids.openShipping, ids.closedRefund]],
    ['topic', () => 'topic=shipping', () => [ids.openShipping]],
    ['from (inclusive)', () => `from=${T0 + 3 * DAY}`, () => [ids.waiting, ids.closedBilling]],
    ['to (exclusive)', () => `to=${T0 + DAY}`, () => [ids.openRefund]],
    ['from and to', () => `from=${T0 + DAY}&to=${T0 + 3 * DAY}`, () => [ids.openShipping, ids.closedRefund]],
    ['csatMin', () => 'csatMin=4', () => [ids.closedBilling]],
    ['csatMax', () => 'csatMax=3', () => [ids.closedRefund]],
    ['csatMin and csatMax', () => 'csatMin=1&csatMax=5', () => [ids.closedBilling, ids.closedRefund]],
    ['visitorId', () => `visitorId=v-${ids.waiting}`, () => [ids.waiting]],
  ])('filters by %s alone', async (_what, query, expected) => {
    expect(await list(query())).toEqual(expected())
  })

  it('combines every filter: each one given narrows the result', async () => {
    expect(await list(`q=parcel&agentId=${bob.agentId}&topic=billing`)).toEqual([ids.closedRefund])
    expect(await list(`q=parcel&agentId=${ada.agentId}&topic=billing&status=open&from=${T0}&to=${T0 + DAY}`)).toEqual([ids.openRefund])
    expect(await list(`q=parcel&agentId=${ada.agentId}&csatMin=1`)).toEqual([])
    expect(await list(`topic=billing&csatMax=2&status=closed&agentId=${bob.agentId}`)).toEqual([ids.closedRefund])
    expect(await list(`topic=billing&status=open`)).toEqual([ids.openRefund])
  })

  it('counts an agent who handed a chat on and wrote in it as taking part', async () => {
    const [convId] = await seedHistory(relay.deps.store, brand.brandId, [{ at: T0 - DAY, text: 'handover words', agent: ada.agentId }])
    const moved = await relay.deps.store.assignConversation(brand.brandId, convId!, bob.agentId, T0 - DAY + 5, { onlyIfWaiting: false, leaving: ada.agentId })
    expect(moved.ok).toBe(true)
    expect(await list(`q=handover&agentId=${ada.agentId}`)).toEqual([convId])
    expect(await list(`q=handover&agentId=${bob.agentId}`)).toEqual([convId])
  })

  it('lists each conversation with its CSAT when given and the start of its first message', async () => {
    const res = await callRest(relay, { url: `/v1/conversations?topic=billing&from=${T0}&to=${T0 + 2 * DAY}`, token: brand.apiKey })
    expect(res.body.conversations).toEqual([
      expect.objectContaining({ convId: ids.closedRefund, csat: 2, preview: 'Refunds please, the parcel broke', status: 'closed', routing: { topic: 'billing' } }),
      expect.objectContaining({ convId: ids.openRefund, preview: 'I want a refund for my parcel', status: 'open' }),
    ])
    expect(res.body.conversations[1]).not.toHaveProperty('csat')
  })

  it('pages through every match under words and filters exactly once, in order', async () => {
    const b = await createTestBrand(relay)
    const agent = await createTestAgent(relay, b.brandId)
    // Pairs opened at the same millisecond, so the cursor's conversation id tie-break is exercised.
    const chats = Array.from({ length: 14 }, (_, i) => ({
      at: T0 + Math.floor(i / 2) * 1000, text: i % 3 === 0 ? 'nothing here' : `lost parcel number ${i}`,
      topic: i % 4 === 0 ? 'other' : 'shipping', agent: agent.agentId, closed: i % 2 === 0,
    }))
    const seeded = await seedHistory(relay.deps.store, b.brandId, chats)
    const expected = seeded
      .map((convId, i) => ({ convId, ...chats[i]! }))
      .filter((c) => c.text.includes('parcel') && c.topic === 'shipping')
      .sort((x, y) => y.at - x.at || (y.convId < x.convId ? -1 : 1))
      .map((c) => c.convId)
    expect(expected.length).toBeGreaterThan(4)
    const seen: string[] = []
    let before: string | null = null
    do {
      const res = await callRest(relay, { url: `/v1/conversations?q=parcel&topic=shipping&agentId=${agent.agentId}&limit=2${before ? `&before=${before}` : ''}`, token: b.apiKey })
      expect(res.status, res.raw).toBe(200)
      expect(res.body.conversations.length).toBeLessThanOrEqual(2)
      seen.push(...res.body.conversations.map((c: { convId: string }) => c.convId))
      before = res.body.next
    } while (before)
    expect(seen).toEqual(expected)
  })

  it("never lists another brand's conversations, open or closed, by words or by filter", async () => {
    const other = await createTestBrand(relay)
    expect(await list('q=refund*', other)).toEqual([])
    expect(await list('q=parcel&status=open', other)).toEqual([])
    expect(await list(`agentId=${ada.agentId}`, other)).toEqual([])
    expect(await list('topic=billing', other)).toEqual([])
    expect(await list('csatMin=1', other)).toEqual([])
  })

  it('refuses an out-of-range CSAT or a malformed date with 400 PARLEY_ERR_REQUEST_INVALID', async () => {
    for (const query of ['csatMin=0', 'csatMax=6', 'from=yesterday', 'to=-1', 'topic=Not%20a%20topic']) {
      expectErrorBody(await callRest(relay, { url: `/v1/conversations?${query}`, token: brand.apiKey }), 'PARLEY_ERR_REQUEST_INVALID')
    }
  })

  it('finds an open conversation only by its masked text: a card number a visitor wrote is not searchable', async () => {
    const b = await createTestBrand(relay)
    const agent = await createTestAgent(relay, b.brandId)
    const a = await connectAgent(relay, agent)
    const v = await connectVisitor(relay, b)
    await openAndJoin(v.client, a.client, 'conv-card')
    const ack = await sendAndAck(v.client, 'conv-card', 'm-card', 'charged twice on 4111 1111 1111 1111 sadly')
    expect(ack.text).toContain('[card]')
    expect(await list('q=sadly', b)).toEqual(['conv-card'])
    expect(await list('q=card', b)).toEqual(['conv-card'])
    for (const q of ['4111', '4111111111111111', '1111']) expect(await list(`q=${q}`, b)).toEqual([])
  })

  it('finds an open conversation no longer by words a masking run has since masked', async () => {
    const b = await createTestBrand(relay)
    const [convId] = await seedHistory(relay.deps.store, b.brandId, [{ at: T0, text: 'my secret order ORD-123456 please' }])
    expect(await list('q=ORD', b)).toEqual([convId])
    const applied = await relay.deps.store.redactMessages(b.brandId, [{ convId: convId!, seq: 1, text: 'my secret order [order] please' }])
    expect(applied).toHaveLength(1)
    expect(await list('q=ORD', b)).toEqual([])
    expect(await list('q=123456', b)).toEqual([])
    expect(await list('q=secret', b)).toEqual([convId])
  })
})
