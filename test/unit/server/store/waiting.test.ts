import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { AppendRequest, Store } from '../../../../server/src/store/store.js'
import { STORES, type OpenedStore } from '../../../helpers/stores.js'

// Quiet chats and recent waits: only chats an agent holds close, quiet since the later of the
// visitor's last message and the agent taking it; when a visitor last wrote counts their newest
// messages (on SQLite, not indexed yet: the idle check and the close are one transaction), survives
// a restart, ignores agents' messages and offline messages, and recentWaits measures takes from a
// queue, from when the chat entered it.

const MIN = 60_000
const T = 10_000_000
const id = (prefix: string) => `${prefix}${randomBytes(6).toString('hex')}`

describe.each(STORES)('waiting visitors on the $name store', (factory) => {
  let opened: OpenedStore
  let store: Store | undefined
  /** This test's brand: every test makes its own, with one agent 'ag'. */
  let b1 = ''
  beforeAll(async () => { opened = await factory.create(); store = opened.store })
  afterAll(async () => { await opened.dispose() })
  beforeEach(async () => {
    b1 = id('b_')
    await store!.createBrand({ brandId: b1, name: 'B', siteKey: id('s_'), allowedOrigins: [], apiKeyHash: id('h_'), createdAt: 0 })
    await store!.createAgent({ brandId: b1, agentId: 'ag', email: 'a@x.example', name: 'A', passwordHash: 'x', createdAt: 0 })
  })
  const say = (convId: string, clientMsgId: string, at: number, from: AppendRequest['from'] = { kind: 'visitor', id: `v-${convId}` }): AppendRequest => ({
    brandId: b1, convId, clientMsgId, from, text: 'hi', at, context: null,
  })
  const take = (convId: string, at: number) => store!.assignConversation(b1, convId, 'ag', at, { onlyIfWaiting: true })

  it("keeps a chat open whose visitor wrote lately, even before that message is indexed", async () => {
    await store!.appendMessages([say('quiet', 'q1', T), say('busy', 'b1', T)])
    await take('quiet', T)
    await take('busy', T)
    await store!.appendMessages([say('busy', 'b2', T + 29 * MIN)])
    const closed = await store!.closeIdleConversations(b1, T + 1, T + 30 * MIN, 100)
    expect(closed.map((c) => [c.convId, c.status])).toEqual([['quiet', 'closed']])
    expect((await store!.getConversation(b1, 'busy'))?.status).toBe('open')
    // Closed: a later message is refused, never stored in it.
    const [late] = await store!.appendMessages([say('quiet', 'q2', T + 31 * MIN)])
    expect(late).toMatchObject({ ok: false, code: 'PARLEY_ERR_CONV_CLOSED' })
  })

  it("lets an agent's messages not count as the visitor's", async () => {
    await store!.appendMessages([say('c1', 'm1', T)])
    await take('c1', T + MIN)
    const [answer] = await store!.appendMessages([say('c1', 'a1', T + 20 * MIN, { kind: 'agent', id: 'ag' })])
    expect(answer?.ok).toBe(true)
    expect(await store!.listBrandsWithOpenChats()).toContain(b1)
    const closed = await store!.closeIdleConversations(b1, T + MIN, T + 31 * MIN, 100)
    expect(closed.map((c) => c.convId)).toEqual(['c1'])
    expect(await store!.listBrandsWithOpenChats()).not.toContain(b1)
  })

  it('never closes a chat waiting in the queue, and counts quiet time from when the agent took it', async () => {
    await store!.appendMessages([say('waiting', 'w1', T), say('late', 'l1', T)])
    // Taken 20 minutes after the visitor's last word: 30 quiet minutes end 50 minutes after it.
    await take('late', T + 20 * MIN)
    expect(await store!.closeIdleConversations(b1, T + 5 * MIN, T + 35 * MIN, 100)).toEqual([])
    const closed = await store!.closeIdleConversations(b1, T + 20 * MIN, T + 50 * MIN, 100)
    expect(closed.map((c) => c.convId)).toEqual(['late'])
    // Still nobody holds the waiting chat, hours later: it stays open.
    expect(await store!.closeIdleConversations(b1, T + 300 * MIN, T + 330 * MIN, 100)).toEqual([])
    expect((await store!.getConversation(b1, 'waiting'))?.status).toBe('open')
  })

  it('walks quiet chats in order past those whose visitor wrote lately, so they cannot hold back a batch', async () => {
    // Two chats quiet longest on disk, but their visitors wrote lately (messages not indexed yet).
    await store!.appendMessages([say('busy1', 'a', T), say('busy2', 'a', T), say('quiet', 'a', T + MIN)])
    for (const c of ['busy1', 'busy2', 'quiet']) await take(c, T)
    await store!.appendMessages([say('busy1', 'b', T + 30 * MIN), say('busy2', 'b', T + 30 * MIN)])
    const closed = await store!.closeIdleConversations(b1, T + 2 * MIN, T + 32 * MIN, 2)
    expect(closed.map((c) => c.convId)).toEqual(['quiet'])
  })

  it("keeps the visitor's newest message counting after a restart", async () => {
    await store!.appendMessages([say('c1', 'm1', T)])
    await take('c1', T)
    await store!.appendMessages([say('c1', 'm2', T + 10 * MIN)])
    store = await opened.reopen()
    expect(await store.closeIdleConversations(b1, T + 5 * MIN, T + 40 * MIN, 100)).toEqual([])
    expect((await store.closeIdleConversations(b1, T + 10 * MIN, T + 40 * MIN, 100)).map((c) => c.convId)).toEqual(['c1'])
  })

  it('measures recent waits from the opening to the acceptance, newest first, live chats only', async () => {
    await store!.appendMessages([say('c1', 'm1', T), say('c2', 'm1', T + MIN)])
    await store!.assignConversation(b1, 'c1', 'ag', T + 30_000, { onlyIfWaiting: true })
    await store!.assignConversation(b1, 'c2', 'ag', T + MIN + 90_000, { onlyIfWaiting: true })
    expect(await store!.recentWaits(b1, T, 10)).toEqual([90_000, 30_000])
    expect(await store!.recentWaits(b1, T + MIN, 10)).toEqual([90_000])
  })

  it('counts only takes from a queue, from when the chat last entered it: no hand-over, no chat back in a queue', async () => {
    await store!.createAgent({ brandId: b1, agentId: 'ag2', email: 'b@x.example', name: 'B', passwordHash: 'x', createdAt: 0 })
    await store!.appendMessages([say('handed', 'm1', T), say('requeued', 'm1', T)])
    await take('handed', T + 30_000)
    // Handed on 20 minutes later: no 20-minute wait.
    await store!.assignConversation(b1, 'handed', 'ag2', T + 20 * MIN, { onlyIfWaiting: false, leaving: 'ag' })
    await take('requeued', T + MIN)
    await store!.requeueConversation(b1, 'requeued', 'billing', 'ag', T + 21 * MIN)
    // Back in a queue and nobody holds it: no wait ended yet.
    expect(await store!.recentWaits(b1, T, 10)).toEqual([30_000])
    await store!.assignConversation(b1, 'requeued', 'ag2', T + 23 * MIN, { onlyIfWaiting: true })
    expect(await store!.recentWaits(b1, T, 10)).toEqual([2 * MIN, 30_000])
  })
})
