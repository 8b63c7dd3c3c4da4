import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Participant, VisitorContext } from '@parley/sdk/contract'
import type { AppendRequest, AppendResult, Store } from '../../../../server/src/store/store.js'
import { STORES } from '../../../helpers/stores.js'

// The Store contract, written once for every implementation (test/helpers/stores.ts). Each test makes
// its own brand, so the tests share one database per implementation without seeing each other's rows.

const id = (prefix: string) => `${prefix}${randomBytes(8).toString('hex')}`
const MINUTE = 60_000

/** A brand with one allowed origin; returns its id and the secrets it was created with. */
async function newBrand(store: Store, origin = `https://${id('brand-')}.example`) {
  const b = { brandId: id('b_'), name: 'Brand', siteKey: id('site_'), allowedOrigins: [origin], apiKeyHash: id('hash_'), createdAt: 1000 }
  await store.createBrand(b)
  return b
}

async function newAgent(store: Store, brandId: string, email = `${id('a')}@agents.example`): Promise<Participant> {
  const agentId = id('a_')
  await store.createAgent({ brandId, agentId, email, name: 'Dana', passwordHash: 'scrypt$x', createdAt: 1000 })
  return { kind: 'agent', id: agentId, name: 'Dana' }
}

const visitor = (): Participant => ({ kind: 'visitor', id: id('v_') })

function msg(brandId: string, from: Participant, convId: string, clientMsgId: string, at = 2000, text = `text of ${clientMsgId}`, context: VisitorContext | null = null): AppendRequest {
  return { brandId, convId, clientMsgId, from, text, at, context }
}

async function append(store: Store, req: AppendRequest): Promise<AppendResult> {
  const [r] = await store.appendMessages([req])
  return r!
}

const seqOf = (r: AppendResult | undefined) => (r?.ok ? r.message.seq : r?.code)

describe.each(STORES)('$name store', ({ create }) => {
  let store: Store
  let reopen: () => Promise<Store>
  let dispose: () => Promise<void>
  beforeAll(async () => { ({ store, reopen, dispose } = await create()) })
  afterAll(async () => { await dispose() })

  /** A brand with a visitor's open conversation holding `n` messages. */
  async function conversation(n = 1) {
    const { brandId } = await newBrand(store)
    const v = visitor()
    const convId = id('c_')
    for (let i = 1; i <= n; i++) await append(store, msg(brandId, v, convId, `m${i}`, 2000 + i))
    return { brandId, v, convId }
  }

  describe('brand isolation', () => {
    const a = { brandId: '', convId: '', v: visitor(), agent: visitor(), email: '' }
    let other = ''
    beforeAll(async () => {
      const c = await conversation(3)
      a.email = `${id('a')}@agents.example`
      Object.assign(a, c, { agent: await newAgent(store, c.brandId, a.email) })
      await store.joinConversation(a.brandId, a.convId, a.agent.id, 3000)
      await store.markRead(a.brandId, a.convId, a.v, 2)
      other = (await newBrand(store)).brandId
    })

    it.each([
      ['getAgent', () => store.getAgent(other, a.agent.id), null],
      ['getAgentByEmail', () => store.getAgentByEmail(other, a.email), null],
      ['getConversation', () => store.getConversation(other, a.convId), null],
      ['listParticipantConversations of the visitor', () => store.listParticipantConversations(other, a.v, 50), []],
      ['listParticipantConversations of the agent', () => store.listParticipantConversations(other, a.agent, 50), []],
      ['listConversations', () => store.listConversations(other, {}), { conversations: [], next: null }],
      ['listConversations by visitor', () => store.listConversations(other, { visitorId: a.v.id }), { conversations: [], next: null }],
      ['isParticipant of the visitor', () => store.isParticipant(other, a.convId, a.v), false],
      ['isParticipant of the agent', () => store.isParticipant(other, a.convId, a.agent), false],
      ['listConversationAgents', () => store.listConversationAgents(other, a.convId), []],
      ['readMessages', () => store.readMessages(other, a.convId, 0, 100), []],
      ['joinConversation', () => store.joinConversation(other, a.convId, a.agent.id, 4000), null],
      ['closeConversation', () => store.closeConversation(other, a.convId, a.agent, 4000), { ok: false, code: 'PARLEY_ERR_CONV_NOT_FOUND' }],
      ['markRead', () => store.markRead(other, a.convId, a.v, 3), 0],
      ['redactMessages', () => store.redactMessages(other, [{ convId: a.convId, seq: 1, text: 'x' }]), []],
      ['an agent append', () => append(store, msg(other, a.agent, a.convId, id('m'))), { ok: false, code: 'PARLEY_ERR_CONV_NOT_FOUND' }],
    ] as const)("%s in another brand's name finds nothing of this brand", async (_name, read, expected) => {
      expect(await read()).toEqual(expected)
    })

    it("leaves this brand's conversation as it was after another brand's calls", async () => {
      await store.joinConversation(other, a.convId, a.agent.id, 4000)
      await store.closeConversation(other, a.convId, a.agent, 4000)
      await store.markRead(other, a.convId, a.v, 3)
      expect(await store.getConversation(a.brandId, a.convId)).toMatchObject({ status: 'open', lastSeq: 3 })
      expect(await store.markRead(a.brandId, a.convId, a.v, 0)).toBe(2)
    })

    it("opens a separate conversation when another brand's visitor uses the same conversation id", async () => {
      const r = await append(store, msg(other, a.v, a.convId, 'm1'))
      expect(r).toMatchObject({ ok: true, duplicate: false, message: { brandId: other, seq: 1 } })
      expect((await store.readMessages(a.brandId, a.convId, 0, 100)).map((m) => m.text)).toEqual(['text of m1', 'text of m2', 'text of m3'])
    })

    it('finds brands only by their own site key and API key hash', async () => {
      const b = await newBrand(store)
      expect((await store.getBrandBySiteKey(b.siteKey))?.brandId).toBe(b.brandId)
      expect((await store.findApiKey(b.apiKeyHash))?.brandId).toBe(b.brandId)
      expect([await store.getBrandBySiteKey(b.apiKeyHash), await store.findApiKey(b.siteKey)]).toEqual([null, null])
    })
  })

  describe('appendMessages', () => {
    it("opens a conversation with a visitor's first message to a new id", async () => {
      const { brandId } = await newBrand(store)
      const v = visitor()
      const context = { url: 'https://shop.example/cart', language: 'fr' }
      const r = await append(store, msg(brandId, v, 'c1', 'm1', 2000, 'hello', context))
      expect(r).toMatchObject({ ok: true, duplicate: false, visitorId: v.id, opened: { convId: 'c1', visitorId: v.id, status: 'open', lastSeq: 1, context } })
      expect(await store.getConversation(brandId, 'c1')).toMatchObject({ status: 'open', createdAt: 2000, closedAt: null, lastSeq: 1, context })
      expect(await store.isParticipant(brandId, 'c1', v)).toBe(true)
    })

    it('opens an offline conversation with its contact when the message carries one, and a chat one otherwise', async () => {
      const { brandId } = await newBrand(store)
      const v = visitor()
      const contact = { name: '<b>Ada</b>', email: 'ada@example.com' }
      const r = await append(store, { ...msg(brandId, v, 'off1', 'm1'), contact })
      expect(r).toMatchObject({ ok: true, opened: { convId: 'off1', origin: 'offline', contact } })
      expect(await store.getConversation(brandId, 'off1')).toMatchObject({ origin: 'offline', contact, status: 'open', assignedAgentId: null })
      // A later message with a contact changes nothing about the conversation.
      await append(store, { ...msg(brandId, v, 'off1', 'm2'), contact: { name: 'Other', email: 'o@example.com' } })
      expect(await store.getConversation(brandId, 'off1')).toMatchObject({ origin: 'offline', contact, lastSeq: 2 })
      await append(store, msg(brandId, v, 'chat1', 'm3'))
      expect(await store.getConversation(brandId, 'chat1')).toMatchObject({ origin: 'chat', contact: null })
    })

    it('reports the conversation as opened only for its first message', async () => {
      const { brandId, v, convId } = await conversation(1)
      expect(await append(store, msg(brandId, v, convId, 'm2'))).toMatchObject({ ok: true, opened: null })
    })

    it("refuses an agent's message to an unknown id and opens nothing", async () => {
      const { brandId } = await newBrand(store)
      const agent = await newAgent(store, brandId)
      expect(await append(store, msg(brandId, agent, 'c1', 'm1'))).toEqual({ ok: false, code: 'PARLEY_ERR_CONV_NOT_FOUND' })
      expect(await store.getConversation(brandId, 'c1')).toBeNull()
    })

    it("refuses a visitor's message to another visitor's conversation as not found", async () => {
      const { brandId, convId } = await conversation(1)
      expect(await append(store, msg(brandId, visitor(), convId, 'x1'))).toEqual({ ok: false, code: 'PARLEY_ERR_CONV_NOT_FOUND' })
      expect(await store.readMessages(brandId, convId, 0, 100)).toHaveLength(1)
    })

    it('refuses an agent who has not joined with PARLEY_ERR_CONV_NOT_JOINED', async () => {
      const { brandId, convId } = await conversation(1)
      const agent = await newAgent(store, brandId)
      expect(await append(store, msg(brandId, agent, convId, 'r1'))).toEqual({ ok: false, code: 'PARLEY_ERR_CONV_NOT_JOINED' })
    })

    it('accepts an agent once they have joined, with their name', async () => {
      const { brandId, convId } = await conversation(1)
      const agent = await newAgent(store, brandId)
      await store.joinConversation(brandId, convId, agent.id, 3000)
      expect(await append(store, msg(brandId, agent, convId, 'r1'))).toMatchObject({ ok: true, message: { seq: 2, from: agent } })
      expect((await store.readMessages(brandId, convId, 1, 10))[0]?.from).toEqual(agent)
    })

    it('accepts an agent who joins after a refusal, refuses one who handed the conversation on, and accepts them back', async () => {
      const { brandId, v, convId } = await conversation(1)
      const ana = await newAgent(store, brandId)
      const ben = await newAgent(store, brandId)
      expect(await append(store, msg(brandId, ana, convId, 'a1'))).toEqual({ ok: false, code: 'PARLEY_ERR_CONV_NOT_JOINED' })
      await store.assignConversation(brandId, convId, ana.id, 3000, { onlyIfWaiting: true })
      expect(seqOf(await append(store, msg(brandId, ana, convId, 'a1')))).toBe(2)
      await store.assignConversation(brandId, convId, ben.id, 3001, { onlyIfWaiting: false, leaving: ana.id })
      const results = await store.appendMessages([msg(brandId, ana, convId, 'a2'), msg(brandId, ben, convId, 'b1'), msg(brandId, v, convId, 'm2')])
      expect(results.map(seqOf)).toEqual(['PARLEY_ERR_CONV_NOT_JOINED', 3, 4])
      // Refused just now, then back: joining lets the same agent write again.
      await store.joinConversation(brandId, convId, ana.id, 3002)
      expect(seqOf(await append(store, msg(brandId, ana, convId, 'a2')))).toBe(5)
    })

    it('refuses messages once a conversation that was just written to is closed', async () => {
      const { brandId, v, convId } = await conversation(2)
      await store.closeConversation(brandId, convId, v, 4000)
      expect(await append(store, msg(brandId, v, convId, 'm3'))).toEqual({ ok: false, code: 'PARLEY_ERR_CONV_CLOSED' })
    })

    it('keeps nothing of a batch that failed to commit: its conversation opens again with seq 1', async () => {
      const { brandId, v, convId } = await conversation(1)
      const fresh = id('c_')
      // A row the schema refuses (text is NOT NULL) makes the whole transaction roll back.
      const bad = { ...msg(brandId, v, convId, 'bad'), text: null as unknown as string }
      await expect(store.appendMessages([msg(brandId, v, fresh, 'f1'), msg(brandId, v, convId, 'm2'), bad])).rejects.toThrow()
      expect(await store.getConversation(brandId, fresh)).toBeNull()
      expect(await append(store, msg(brandId, v, fresh, 'f1'))).toMatchObject({ ok: true, duplicate: false, opened: { convId: fresh }, message: { seq: 1 } })
      expect(seqOf(await append(store, msg(brandId, v, convId, 'm2')))).toBe(2)
    })

    it('refuses messages to a closed conversation with PARLEY_ERR_CONV_CLOSED', async () => {
      const { brandId, v, convId } = await conversation(1)
      const agent = await newAgent(store, brandId)
      await store.joinConversation(brandId, convId, agent.id, 3000)
      await store.closeConversation(brandId, convId, v, 4000)
      const results = await store.appendMessages([msg(brandId, v, convId, 'm2'), msg(brandId, agent, convId, 'r1')])
      expect(results).toEqual([{ ok: false, code: 'PARLEY_ERR_CONV_CLOSED' }, { ok: false, code: 'PARLEY_ERR_CONV_CLOSED' }])
    })

    it('answers a resend of a message stored before the close with the stored message', async () => {
      const { brandId, v, convId } = await conversation(1)
      await store.closeConversation(brandId, convId, v, 4000)
      expect(await append(store, msg(brandId, v, convId, 'm1', 5000))).toMatchObject({ ok: true, duplicate: true, message: { seq: 1, at: 2001 } })
    })

    it('answers a resend of the same clientMsgId with the stored message, marked duplicate', async () => {
      const { brandId, v, convId } = await conversation(1)
      const r = await append(store, msg(brandId, v, convId, 'm1', 9999, 'edited text'))
      expect(r).toMatchObject({ ok: true, duplicate: true, opened: null, message: { seq: 1, at: 2001, text: 'text of m1' } })
    })

    it('stores a resent message only once', async () => {
      const { brandId, v, convId } = await conversation(1)
      await append(store, msg(brandId, v, convId, 'm1'))
      await append(store, msg(brandId, v, convId, 'm2'))
      expect((await store.readMessages(brandId, convId, 0, 100)).map((m) => [m.seq, m.clientMsgId])).toEqual([[1, 'm1'], [2, 'm2']])
      expect((await store.getConversation(brandId, convId))?.lastSeq).toBe(2)
    })

    it('dedupes a clientMsgId repeated within one batch', async () => {
      const { brandId } = await newBrand(store)
      const v = visitor()
      const convId = id('c_')
      const results = await store.appendMessages([msg(brandId, v, convId, 'm1'), msg(brandId, v, convId, 'm1')])
      expect(results.map((r) => [seqOf(r), r.ok && r.duplicate])).toEqual([[1, false], [1, true]])
    })

    it('lets different senders use the same clientMsgId', async () => {
      const { brandId, v, convId } = await conversation(1)
      const agent = await newAgent(store, brandId)
      await store.joinConversation(brandId, convId, agent.id, 3000)
      expect(seqOf(await append(store, msg(brandId, agent, convId, 'm1')))).toBe(2)
      expect(seqOf(await append(store, msg(brandId, v, convId, 'm1')))).toBe(1)
    })

    it('lets different senders use the same clientMsgId within one batch, and dedupes each one\'s resend', async () => {
      const { brandId, v, convId } = await conversation(1)
      const agent = await newAgent(store, brandId)
      await store.joinConversation(brandId, convId, agent.id, 3000)
      const results = await store.appendMessages([
        msg(brandId, v, convId, 'same'), msg(brandId, agent, convId, 'same'), msg(brandId, v, convId, 'same'), msg(brandId, agent, convId, 'same'),
      ])
      expect(results.map((r) => [seqOf(r), r.ok && r.duplicate])).toEqual([[2, false], [3, false], [2, true], [3, true]])
      expect((await store.readMessages(brandId, convId, 0, 100)).map((m) => [m.seq, m.from.kind])).toEqual([[1, 'visitor'], [2, 'visitor'], [3, 'agent']])
    })

    it('refuses a clientMsgId reused for another conversation with PARLEY_ERR_MESSAGE_ID_REUSED', async () => {
      const { brandId, v } = await conversation(1)
      expect(await append(store, msg(brandId, v, id('c_'), 'm1'))).toEqual({ ok: false, code: 'PARLEY_ERR_MESSAGE_ID_REUSED' })
    })

    it('gives refused requests in a batch no seq, and the others consecutive ones', async () => {
      const { brandId, v, convId } = await conversation(1)
      const agent = await newAgent(store, brandId)
      const results = await store.appendMessages([msg(brandId, v, convId, 'm2'), msg(brandId, agent, convId, 'r1'), msg(brandId, v, convId, 'm3')])
      expect(results.map(seqOf)).toEqual([2, 'PARLEY_ERR_CONV_NOT_JOINED', 3])
    })
  })

  describe('conversations', () => {
    it('joins idempotently and returns the conversation', async () => {
      const { brandId, convId } = await conversation(2)
      const agent = await newAgent(store, brandId)
      await store.joinConversation(brandId, convId, agent.id, 3000)
      expect(await store.joinConversation(brandId, convId, agent.id, 3001)).toMatchObject({ convId, lastSeq: 2 })
      expect(await store.isParticipant(brandId, convId, agent)).toBe(true)
    })

    it("tells a joiner how far they had read, from their stored read position", async () => {
      const { brandId, convId } = await conversation(3)
      const agent = await newAgent(store, brandId)
      expect(await store.joinConversation(brandId, convId, agent.id, 3000)).toMatchObject({ readSeq: 0 })
      await store.markRead(brandId, convId, agent, 2)
      expect(await store.joinConversation(brandId, convId, agent.id, 3001)).toMatchObject({ readSeq: 2, lastSeq: 3 })
    })

    it("tells a joiner how far the visitor has read, from the visitor's stored read position", async () => {
      const { brandId, convId, v } = await conversation(3)
      const agent = await newAgent(store, brandId)
      expect(await store.joinConversation(brandId, convId, agent.id, 3000)).toMatchObject({ visitorReadSeq: 0 })
      await store.markRead(brandId, convId, v, 3)
      await store.markRead(brandId, convId, agent, 1)
      expect(await store.joinConversation(brandId, convId, agent.id, 3001)).toMatchObject({ visitorReadSeq: 3, readSeq: 1 })
    })

    it('assigns a waiting conversation once, and hands it on: the agent who hands it leaves it', async () => {
      const { brandId, convId } = await conversation(1)
      const ana = await newAgent(store, brandId)
      const ben = await newAgent(store, brandId)
      const taken = await store.assignConversation(brandId, convId, ana.id, 3000, { onlyIfWaiting: true })
      expect(taken).toMatchObject({ ok: true, changed: true, conversation: { assignedAgentId: ana.id } })
      expect(await store.assignConversation(brandId, convId, ben.id, 3001, { onlyIfWaiting: true })).toEqual({ ok: false, code: 'PARLEY_ERR_CONV_ASSIGNED' })
      expect(await store.listQueue(brandId, 10)).toEqual([])
      const handed = await store.assignConversation(brandId, convId, ben.id, 3002, { onlyIfWaiting: false, leaving: ana.id })
      expect(handed).toMatchObject({ ok: true, changed: true, conversation: { assignedAgentId: ben.id } })
      expect(await store.isParticipant(brandId, convId, ben)).toBe(true)
      expect(await store.isParticipant(brandId, convId, ana)).toBe(false)
      expect((await store.listParticipantConversations(brandId, ana, 10)).map((c) => c.convId)).toEqual([])
      // Handing a conversation to oneself leaves nothing.
      await store.assignConversation(brandId, convId, ben.id, 3003, { onlyIfWaiting: false, leaving: ben.id })
      expect(await store.isParticipant(brandId, convId, ben)).toBe(true)
      expect(await store.assignConversation(brandId, convId, id('a_'), 3004, { onlyIfWaiting: false })).toEqual({ ok: false, code: 'PARLEY_ERR_AGENT_NOT_FOUND' })
    })

    it('returns null when joining an unknown conversation', async () => {
      const { brandId } = await newBrand(store)
      expect(await store.joinConversation(brandId, 'nope', id('a_'), 3000)).toBeNull()
    })

    it('closes once: a second close reports alreadyClosed and keeps the first closedAt', async () => {
      const { brandId, v, convId } = await conversation(1)
      expect(await store.closeConversation(brandId, convId, v, 4000)).toMatchObject({ ok: true, alreadyClosed: false, conversation: { status: 'closed', closedAt: 4000 } })
      expect(await store.closeConversation(brandId, convId, v, 5000)).toMatchObject({ ok: true, alreadyClosed: true, conversation: { closedAt: 4000 } })
    })

    it('refuses a close by an agent who has not joined, and by another visitor', async () => {
      const { brandId, convId } = await conversation(1)
      const agent = await newAgent(store, brandId)
      expect(await store.closeConversation(brandId, convId, agent, 4000)).toEqual({ ok: false, code: 'PARLEY_ERR_CONV_NOT_JOINED' })
      expect(await store.closeConversation(brandId, convId, visitor(), 4000)).toEqual({ ok: false, code: 'PARLEY_ERR_CONV_NOT_FOUND' })
      expect((await store.getConversation(brandId, convId))?.status).toBe('open')
    })

    it('reads messages after a seq, in order, a page at a time', async () => {
      const { brandId, convId } = await conversation(5)
      const page = async (after: number) => (await store.readMessages(brandId, convId, after, 2)).map((m) => m.seq)
      expect([await page(0), await page(2), await page(4), await page(5)]).toEqual([[1, 2], [3, 4], [5], []])
    })

    it('moves a read cursor forward only', async () => {
      const { brandId, v, convId } = await conversation(5)
      expect([
        await store.markRead(brandId, convId, v, 3),
        await store.markRead(brandId, convId, v, 1),
        await store.markRead(brandId, convId, v, 5),
      ]).toEqual([3, 3, 5])
    })

    it('lists conversations newest first, paging by cursor without gaps or repeats', async () => {
      const { brandId } = await newBrand(store)
      const created: [string, number][] = [['c-a', 100], ['c-b', 200], ['c-c', 200], ['c-d', 300], ['c-e', 400]]
      for (const [convId, at] of created) await append(store, msg(brandId, visitor(), convId, `${convId}-1`, at))
      const seen: string[] = []
      let before: string | undefined
      for (let pages = 0; pages < 10; pages++) {
        const page = await store.listConversations(brandId, { limit: 2, ...(before ? { before } : {}) })
        seen.push(...page.conversations.map((c) => c.convId))
        if (!page.next) break
        before = page.next
      }
      expect(seen).toEqual(['c-e', 'c-d', 'c-c', 'c-b', 'c-a'])
    })

    it('filters listed conversations by status and by visitor', async () => {
      const { brandId, v, convId } = await conversation(1)
      await append(store, msg(brandId, visitor(), id('c_'), 'o1', 3000))
      await store.closeConversation(brandId, convId, v, 5000)
      expect((await store.listConversations(brandId, {})).conversations).toHaveLength(2)
      expect((await store.listConversations(brandId, { status: 'closed' })).conversations.map((c) => c.convId)).toEqual([convId])
      expect((await store.listConversations(brandId, { visitorId: v.id })).conversations.map((c) => c.convId)).toEqual([convId])
    })

    it("lists a visitor's conversations and an agent's open joined ones for welcome", async () => {
      const { brandId } = await newBrand(store)
      const v = visitor()
      const agent = await newAgent(store, brandId)
      for (const [convId, at] of [['c1', 100], ['c2', 200], ['c3', 300]] as const) await append(store, msg(brandId, v, convId, `${convId}-m`, at))
      await store.joinConversation(brandId, 'c1', agent.id, 400)
      await store.joinConversation(brandId, 'c2', agent.id, 400)
      await store.closeConversation(brandId, 'c2', agent, 500)
      expect((await store.listParticipantConversations(brandId, v, 50)).map((c) => c.convId)).toEqual(['c3', 'c2', 'c1'])
      expect((await store.listParticipantConversations(brandId, agent, 50)).map((c) => c.convId)).toEqual(['c1'])
    })

    it('lists the agents taking part in a conversation, open or closed, and not its visitor', async () => {
      const { brandId, v, convId } = await conversation(1)
      const [a1, a2] = [await newAgent(store, brandId), await newAgent(store, brandId)]
      expect(await store.listConversationAgents(brandId, convId)).toEqual([])
      await store.joinConversation(brandId, convId, a1.id, 3000)
      await store.joinConversation(brandId, convId, a2.id, 3001)
      await store.closeConversation(brandId, convId, v, 4000)
      expect(await store.listConversationAgents(brandId, convId)).toEqual([a1.id, a2.id])
    })

    it('leaves an agent who handed the conversation on out of its agents', async () => {
      const { brandId, convId } = await conversation(1)
      const [a1, a2] = [await newAgent(store, brandId), await newAgent(store, brandId)]
      await store.assignConversation(brandId, convId, a1.id, 3000, { onlyIfWaiting: true })
      await store.assignConversation(brandId, convId, a2.id, 3001, { onlyIfWaiting: false, leaving: a1.id })
      expect(await store.listConversationAgents(brandId, convId)).toEqual([a2.id])
    })
  })

  describe('agent availability', () => {
    it('starts an agent at the default capacity and changes name and capacity only in its own brand', async () => {
      const { brandId } = await newBrand(store)
      const ana = await newAgent(store, brandId)
      expect((await store.getAgent(brandId, ana.id))!.capacity).toBe(3)
      expect(await store.updateAgent(brandId, ana.id, { capacity: 5 })).toMatchObject({ agentId: ana.id, name: 'Dana', capacity: 5 })
      expect(await store.updateAgent(brandId, ana.id, { name: 'Ana' })).toMatchObject({ name: 'Ana', capacity: 5 })
      expect((await store.listAgents(brandId, 10))[0]).toMatchObject({ name: 'Ana', capacity: 5 })
      const other = await newBrand(store)
      expect(await store.updateAgent(other.brandId, ana.id, { capacity: 1 })).toBeNull()
      expect(await store.updateAgent(brandId, id('a_'), { capacity: 1 })).toBeNull()
      expect((await store.getAgent(brandId, ana.id))!.capacity).toBe(5)
    })

    it('keeps one chosen status per agent, replaced whole, and none for agents who never chose', async () => {
      const { brandId } = await newBrand(store)
      const ana = await newAgent(store, brandId)
      const ben = await newAgent(store, brandId)
      expect(await store.getAgentStatus(brandId, ana.id)).toBeNull()
      await store.setAgentStatus({ brandId, agentId: ana.id, status: 'away', auto: true, awayAfterMin: 4, since: 5000 })
      await store.setAgentStatus({ brandId, agentId: ana.id, status: 'available', auto: false, awayAfterMin: 0, since: 6000 })
      expect(await store.getAgentStatus(brandId, ana.id)).toEqual({ brandId, agentId: ana.id, status: 'available', auto: false, awayAfterMin: 0, since: 6000 })
      expect((await store.listAgentStatuses(brandId)).map((r) => r.agentId)).toEqual([ana.id])
      expect(await store.getAgentStatus(brandId, ben.id)).toBeNull()
      expect(await store.listAgentStatuses((await newBrand(store)).brandId)).toEqual([])
    })

    it('counts open assigned chats per agent and live chats waiting, leaving offline messages out', async () => {
      const { brandId } = await newBrand(store)
      const ana = await newAgent(store, brandId)
      const convs: string[] = []
      for (let i = 0; i < 4; i++) {
        const convId = id('c_')
        convs.push(convId)
        // The third is left through the offline form: it waits too, but is not a live chat.
        const contact = i === 2 ? { contact: { name: 'Eve', email: 'eve@example.com' } } : {}
        await append(store, { ...msg(brandId, visitor(), convId, `m${i}`, 2000 + i), ...contact })
      }
      expect(await store.countWaitingChats(brandId)).toBe(3)
      expect(await store.countActiveChats(brandId)).toEqual({})
      await store.assignConversation(brandId, convs[0]!, ana.id, 3000, { onlyIfWaiting: true })
      await store.assignConversation(brandId, convs[1]!, ana.id, 3001, { onlyIfWaiting: true })
      await store.closeConversation(brandId, convs[1]!, ana, 3002)
      expect(await store.countActiveChats(brandId)).toEqual({ [ana.id]: 1 })
      expect(await store.countWaitingChats(brandId)).toBe(1)
      expect(await store.countQueue(brandId)).toBe(2)
    })
  })

  describe('rule counts', () => {
    const delta = (ruleId: string, arm: 'treatment' | 'control', impressions: number, clicks = 0) => ({ ruleId, arm, impressions, clicks, dismissals: 0, chats: 0 })

    it('adds counts per rule, arm and day, and reads a range of days in order', async () => {
      const { brandId } = await newBrand(store)
      await store.addRuleCounts(brandId, '2026-03-01', [delta('offer', 'treatment', 2, 1), delta('offer', 'control', 1)])
      await store.addRuleCounts(brandId, '2026-03-01', [delta('offer', 'treatment', 3)])
      await store.addRuleCounts(brandId, '2026-03-02', [delta('invite', 'treatment', 1)])
      await store.addRuleCounts(brandId, '2026-03-05', [delta('invite', 'treatment', 9)])
      expect(await store.readRuleCounts(brandId, '2026-03-01', '2026-03-02')).toEqual([
        { day: '2026-03-01', ...delta('offer', 'control', 1) },
        { day: '2026-03-01', ...delta('offer', 'treatment', 5, 1) },
        { day: '2026-03-02', ...delta('invite', 'treatment', 1) },
      ])
    })

    it("keeps each brand's counts apart", async () => {
      const a = (await newBrand(store)).brandId
      const b = (await newBrand(store)).brandId
      await store.addRuleCounts(a, '2026-03-01', [delta('offer', 'treatment', 1)])
      expect(await store.readRuleCounts(b, '2000-01-01', '2100-01-01')).toEqual([])
    })
  })

  describe('recordVisit', () => {
    it('creates a visitor on the first visit', async () => {
      const { brandId } = await newBrand(store)
      const context = { url: 'https://shop.example/' }
      expect(await store.recordVisit(brandId, 'v1', context, 1000)).toEqual({ brandId, visitorId: 'v1', createdAt: 1000, lastSeenAt: 1000, visitCount: 1, context })
    })

    it('counts no new visit within 30 minutes of the last activity', async () => {
      const { brandId } = await newBrand(store)
      await store.recordVisit(brandId, 'v1', null, 0)
      expect(await store.recordVisit(brandId, 'v1', null, 30 * MINUTE - 1)).toMatchObject({ visitCount: 1, lastSeenAt: 30 * MINUTE - 1 })
    })

    it('counts a new visit after more than 30 minutes of silence', async () => {
      const { brandId } = await newBrand(store)
      await store.recordVisit(brandId, 'v1', null, 0)
      expect(await store.recordVisit(brandId, 'v1', null, 30 * MINUTE + 1)).toMatchObject({ visitCount: 2, createdAt: 0 })
    })

    it('measures the gap from the last activity, not the first', async () => {
      const { brandId } = await newBrand(store)
      let last = await store.recordVisit(brandId, 'v1', null, 0)
      for (let t = 20 * MINUTE; t <= 120 * MINUTE; t += 20 * MINUTE) last = await store.recordVisit(brandId, 'v1', null, t)
      expect(last.visitCount).toBe(1)
    })

    it('counts no visit the tracking policy refused (counted: false), a new visitor starting at 0', async () => {
      const { brandId } = await newBrand(store)
      expect(await store.recordVisit(brandId, 'v1', null, 0, { counted: false })).toMatchObject({ visitCount: 0, lastSeenAt: 0 })
      expect(await store.recordVisit(brandId, 'v1', null, 60 * MINUTE, { counted: false })).toMatchObject({ visitCount: 0, lastSeenAt: 60 * MINUTE })
      // Counting resumes once the policy allows it (the visitor granted).
      expect((await store.recordVisit(brandId, 'v1', null, 120 * MINUTE, { counted: true })).visitCount).toBe(1)
    })

    it('keeps the last context when a visit brings none', async () => {
      const { brandId } = await newBrand(store)
      await store.recordVisit(brandId, 'v1', { url: 'https://shop.example/a' }, 0)
      expect((await store.recordVisit(brandId, 'v1', null, 1000)).context).toEqual({ url: 'https://shop.example/a' })
    })

    it('counts visits per brand', async () => {
      const [{ brandId: b1 }, { brandId: b2 }] = [await newBrand(store), await newBrand(store)]
      await store.recordVisit(b1, 'v1', null, 0)
      expect((await store.recordVisit(b2, 'v1', null, 60 * MINUTE)).visitCount).toBe(1)
    })
  })

  describe('brands and agents', () => {
    it("refuses a second agent with the same e-mail in a brand, but not in another brand", async () => {
      const [{ brandId: b1 }, { brandId: b2 }] = [await newBrand(store), await newBrand(store)]
      await newAgent(store, b1, 'same@agents.example')
      const dup = { agentId: id('a_'), email: 'same@agents.example', name: 'X', passwordHash: 'h', createdAt: 1 }
      expect(await store.createAgent({ brandId: b1, ...dup })).toBeNull()
      expect(await store.createAgent({ brandId: b2, ...dup })).toMatchObject({ brandId: b2 })
    })

    it("replaces an agent's password hash only while it is still the one checked, and only in its brand", async () => {
      const [{ brandId }, other] = [await newBrand(store), await newBrand(store)]
      const { id: agentId } = await newAgent(store, brandId)
      expect(await store.replacePasswordHash(other.brandId, agentId, 'scrypt$x', 'scrypt$other')).toBe(false)
      expect(await store.replacePasswordHash(brandId, agentId, 'scrypt$stale', 'scrypt$y')).toBe(false)
      expect((await store.getAgent(brandId, agentId))?.passwordHash).toBe('scrypt$x')
      expect(await store.replacePasswordHash(brandId, agentId, 'scrypt$x', 'scrypt$y')).toBe(true)
      expect((await store.getAgent(brandId, agentId))?.passwordHash).toBe('scrypt$y')
      // A second sign-in that checked the old hash meanwhile does not overwrite the first one's.
      expect(await store.replacePasswordHash(brandId, agentId, 'scrypt$x', 'scrypt$z')).toBe(false)
      expect(await store.replacePasswordHash(brandId, id('a_'), 'scrypt$x', 'scrypt$y')).toBe(false)
    })

    it('allows an origin anywhere only when some brand lists exactly that origin', async () => {
      const origin = `https://${id('shop-')}.example`
      await newBrand(store, origin)
      expect([await store.isOriginAllowedAnywhere(origin), await store.isOriginAllowedAnywhere(`${origin}.evil.example`)]).toEqual([true, false])
    })
  })

  describe('redactMessages', () => {
    const texts = async (brandId: string, convId: string) => (await store.readMessages(brandId, convId, 0, 100)).map((m) => m.text)

    it('rewrites a message just stored, for reads and for a resend of it', async () => {
      const { brandId, v, convId } = await conversation(3)
      expect(await store.redactMessages(brandId, [{ convId, seq: 2, text: 'card [card]' }])).toEqual([{ convId, seq: 2, text: 'card [card]' }])
      expect(await texts(brandId, convId)).toEqual(['text of m1', 'card [card]', 'text of m3'])
      expect(await append(store, msg(brandId, v, convId, 'm2'))).toMatchObject({ ok: true, duplicate: true, message: { seq: 2, text: 'card [card]' } })
    })

    it('rewrites messages stored before a reopen, in one call', async () => {
      const { brandId, convId } = await conversation(3)
      store = await reopen()
      await store.redactMessages(brandId, [{ convId, seq: 1, text: 'one' }, { convId, seq: 3, text: 'three' }])
      expect(await texts(brandId, convId)).toEqual(['one', 'text of m2', 'three'])
    })

    it("rewrites a closed conversation's search index: the old words no longer find it, the new ones do", async () => {
      const { brandId } = await newBrand(store)
      const v = visitor()
      const convId = id('c_')
      await append(store, msg(brandId, v, convId, 'm1', 2000, 'my code is pelican'))
      await store.closeConversation(brandId, convId, v, 3000)
      const found = async (q: string) => (await store.listConversations(brandId, { q })).conversations.map((c) => c.convId)
      expect(await found('pelican')).toEqual([convId])
      await store.redactMessages(brandId, [{ convId, seq: 1, text: 'my code is [secret]' }])
      expect(await found('pelican')).toEqual([])
      expect(await found('secret')).toEqual([convId])
      expect(await texts(brandId, convId)).toEqual(['my code is [secret]'])
    })

    it('skips redactions naming no stored message, and applies the rest', async () => {
      const { brandId, convId } = await conversation(1)
      const applied = await store.redactMessages(brandId, [
        { convId, seq: 9, text: 'x' }, { convId: id('c_'), seq: 1, text: 'x' }, { convId, seq: 1, text: 'kept' },
      ])
      expect(applied).toEqual([{ convId, seq: 1, text: 'kept' }])
      expect(await texts(brandId, convId)).toEqual(['kept'])
    })

    it('applies a redaction with ifText only while the stored text is still that', async () => {
      const { brandId, convId } = await conversation(2)
      expect(await store.redactMessages(brandId, [{ convId, seq: 1, text: 'stale', ifText: 'not what is stored' }])).toEqual([])
      expect(await store.redactMessages(brandId, [{ convId, seq: 2, text: 'new', ifText: 'text of m2' }])).toEqual([{ convId, seq: 2, text: 'new' }])
      expect(await texts(brandId, convId)).toEqual(['text of m1', 'new'])
    })
  })

  describe('masking runs', () => {
    const texts = async (brandId: string, convId: string) => (await store.readMessages(brandId, convId, 0, 100)).map((m) => m.text)

    it('starts a run at the beginning, and resumes the unfinished one instead of starting another', async () => {
      const { brandId } = await conversation(1)
      const first = await store.startMaskingRun(brandId, id('mr_'), 5000)
      expect(first).toMatchObject({ brandId, status: 'running', phase: 'messages', position: 0, scanned: 0, changed: 0, finishedAt: null })
      await store.failMaskingRun(brandId, first.runId, 5001)
      expect(await store.getMaskingRun(brandId, first.runId)).toMatchObject({ status: 'failed' })
      expect(await store.startMaskingRun(brandId, id('mr_'), 5002)).toMatchObject({ runId: first.runId, status: 'running' })
      expect(await store.getMaskingRun(id('b_'), first.runId)).toBeNull()
    })

    it('reads a phase in key order and commits a batch with its progress; a stale batch writes nothing', async () => {
      const { brandId, convId } = await conversation(3)
      const run = await store.startMaskingRun(brandId, id('mr_'), 5000)
      const items = await store.readMaskingItems(brandId, 'messages', 0, 2)
      expect(items.map((i) => [i.convId, i.seq, i.text])).toEqual([[convId, 1, 'text of m1'], [convId, 2, 'text of m2']])
      const step = (from: number, before: string) => ({
        phase: 'messages' as const, from, to: items[1]!.key, next: null, scanned: 2, at: 5001,
        rewrites: [{ key: items[1]!.key, before, after: 'masked m2' }],
      })
      // Read before another writer changed the row: refused, and nothing moves.
      expect(await store.commitMaskingStep(brandId, run.runId, step(0, 'what it was before'))).toMatchObject({ ok: false, run: { position: 0, scanned: 0 } })
      expect(await texts(brandId, convId)).toEqual(['text of m1', 'text of m2', 'text of m3'])
      const done = await store.commitMaskingStep(brandId, run.runId, step(0, 'text of m2'))
      expect(done).toMatchObject({ ok: true, run: { position: items[1]!.key, scanned: 2, changed: 1 }, redacted: [{ convId, seq: 2, text: 'masked m2' }] })
      expect(await texts(brandId, convId)).toEqual(['text of m1', 'masked m2', 'text of m3'])
      // Another runner committing the same batch again (from the old position) is refused: nothing counts twice.
      expect(await store.commitMaskingStep(brandId, run.runId, step(0, 'masked m2'))).toMatchObject({ ok: false, run: { scanned: 2 } })
    })

    it("does not rewrite another brand's message through a run of its own", async () => {
      const a = await conversation(1)
      const { brandId: other } = await newBrand(store)
      const run = await store.startMaskingRun(other, id('mr_'), 5000)
      const [item] = await store.readMaskingItems(a.brandId, 'messages', 0, 1)
      expect(await store.readMaskingItems(other, 'messages', 0, 100)).toEqual([])
      const r = await store.commitMaskingStep(other, run.runId, {
        phase: 'messages', from: 0, to: item!.key, next: null, scanned: 1, at: 5001,
        rewrites: [{ key: item!.key, before: item!.text, after: 'x' }],
      })
      expect(r.ok).toBe(false)
      expect(await texts(a.brandId, a.convId)).toEqual(['text of m1'])
    })

    it('finishes after the last phase, with finishedAt', async () => {
      const { brandId } = await conversation(1)
      const run = await store.startMaskingRun(brandId, id('mr_'), 5000)
      const end = await store.commitMaskingStep(brandId, run.runId, { phase: 'messages', from: 0, to: 0, next: 'done', scanned: 0, rewrites: [], at: 6000 })
      expect(end).toMatchObject({ ok: true, run: { status: 'done', phase: 'done', finishedAt: 6000 } })
      // A finished run is not resumed: the next start is a new run.
      expect((await store.startMaskingRun(brandId, id('mr_'), 7000)).runId).not.toBe(run.runId)
    })
  })

  describe('maintenance', () => {
    it('answers a ping, and resolves truncateWal with a boolean and vacuum with nothing', async () => {
      await conversation(2)
      await expect(store.ping()).resolves.toBeUndefined()
      expect(typeof await store.truncateWal()).toBe('boolean')
      await expect(store.vacuum()).resolves.toBeUndefined()
    })
  })

  describe('reopening', () => {
    it('opens the same database again with every row kept and migrations not reapplied', async () => {
      const { brandId, v, convId } = await conversation(2)
      store = await reopen()
      expect(await store.getBrand(brandId)).toMatchObject({ brandId })
      expect(seqOf(await append(store, msg(brandId, v, convId, 'm3')))).toBe(3)
      expect(await append(store, msg(brandId, v, convId, 'm1'))).toMatchObject({ ok: true, duplicate: true, message: { seq: 1 } })
    })

    it('reads, counts and dedupes across messages stored before and after reopening, in seq order', async () => {
      const { brandId, v, convId } = await conversation(2)
      store = await reopen()
      await append(store, msg(brandId, v, convId, 'm3'))
      await append(store, msg(brandId, v, convId, 'm4'))
      expect((await store.readMessages(brandId, convId, 0, 10)).map((m) => m.clientMsgId)).toEqual(['m1', 'm2', 'm3', 'm4'])
      expect((await store.readMessages(brandId, convId, 1, 2)).map((m) => m.seq)).toEqual([2, 3])
      expect((await store.getConversation(brandId, convId))?.lastSeq).toBe(4)
      expect(await append(store, msg(brandId, v, convId, 'm2'))).toMatchObject({ ok: true, duplicate: true, message: { seq: 2 } })
      expect(await append(store, msg(brandId, v, convId, 'm4'))).toMatchObject({ ok: true, duplicate: true, message: { seq: 4 } })
    })
  })
})
