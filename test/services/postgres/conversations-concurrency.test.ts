import { randomBytes } from 'node:crypto'
import { beforeAll, expect, it } from 'vitest'
import type { AssignResult, CloseResult, Store } from '../../../server/src/store/store.js'
import { describeWithPostgres, usePostgresStores } from '../../helpers/postgres.js'
import { createStoreBrand } from '../../helpers/brand.js'

// Two relay nodes (two stores, two pools) on one database deciding the same conversation at once:
// the conversation row's lock (FOR UPDATE) must let exactly one agent take a waiting chat, and a close
// racing an assign must leave the chat either closed or held, never a closed chat that still waits
// in the queue or an assign that reports success on a closed chat.

const id = (prefix: string) => `${prefix}${randomBytes(6).toString('hex')}`

describeWithPostgres('PostgreSQL conversations across two nodes', () => {
  const suite = usePostgresStores({ nodes: 2, poolSize: 10 })
  let nodeA: Store
  let nodeB: Store
  beforeAll(() => { [nodeA, nodeB] = suite.nodes as [Store, Store] })

  /** A brand with `n` agents. */
  async function brandWithAgents(n: number): Promise<{ brandId: string; agents: string[] }> {
    const brandId = await createStoreBrand(nodeA, { createdAt: 1000 })
    const agents = Array.from({ length: n }, () => id('a_'))
    for (const agentId of agents) {
      await nodeB.createAgent({ brandId, agentId, email: `${agentId}@agents.example`, name: 'Agent', passwordHash: 'scrypt$x', createdAt: 1000 })
    }
    return { brandId, agents }
  }

  /** A visitor's waiting conversation. */
  async function waitingChat(store: Store, brandId: string): Promise<string> {
    const convId = id('c_')
    const opened = await store.openConversation({
      brandId, convId, visitorId: id('v_'), clientMsgId: id('m_'), at: 2000, context: null, routing: {}, response: null,
    })
    expect(opened).toMatchObject({ ok: true, created: true })
    return convId
  }

  it('lets exactly one of 20 agents on two nodes accept the same waiting chat; the others get CONV_ASSIGNED', async () => {
    const { brandId, agents } = await brandWithAgents(20)
    const convId = await waitingChat(nodeA, brandId)
    const results = await Promise.all(agents.map((agentId, i) =>
      (i % 2 === 0 ? nodeA : nodeB).assignConversation(brandId, convId, agentId, 3000 + i, { onlyIfWaiting: true })))
    const winners = results.flatMap((r, i) => (r.ok ? [agents[i]!] : []))
    expect(winners).toHaveLength(1)
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.code)).toEqual(Array(19).fill('PARLEY_ERR_CONV_ASSIGNED'))
    const conv = await nodeB.getConversation(brandId, convId)
    expect(conv).toMatchObject({ assignedAgentId: winners[0], status: 'open' })
    expect(await nodeA.listConversationAgents(brandId, convId)).toEqual(winners)
    expect(await nodeB.countQueue(brandId)).toBe(0)
    expect(await nodeA.countActiveChats(brandId)).toEqual({ [winners[0]!]: 1 })
  })

  it('never leaves a closed chat in the queue, nor an assign reported on a closed chat, when a close races an assign', async () => {
    const { brandId, agents } = await brandWithAgents(1)
    const agent = agents[0]!
    const rounds = 20
    const chats: { convId: string; visitorId: string }[] = []
    for (let i = 0; i < rounds; i++) {
      const convId = id('c_')
      const visitorId = id('v_')
      await nodeA.openConversation({ brandId, convId, visitorId, clientMsgId: id('m_'), at: 2000 + i, context: null, routing: {}, response: null })
      chats.push({ convId, visitorId })
    }
    const outcomes = await Promise.all(chats.map(async ({ convId, visitorId }, i) => {
      const [assign, close] = i % 2 === 0
        ? await Promise.all([nodeA.assignConversation(brandId, convId, agent, 3000, { onlyIfWaiting: true }), nodeB.closeConversation(brandId, convId, { kind: 'visitor', id: visitorId }, 3000)])
        : await Promise.all([nodeB.assignConversation(brandId, convId, agent, 3000, { onlyIfWaiting: true }), nodeA.closeConversation(brandId, convId, { kind: 'visitor', id: visitorId }, 3000)])
      return { convId, assign: assign as AssignResult, close: close as CloseResult }
    }))
    for (const { convId, assign, close } of outcomes) {
      expect(close).toMatchObject({ ok: true, alreadyClosed: false })
      const conv = (await nodeA.getConversation(brandId, convId))!
      expect(conv.status).toBe('closed')
      // Either the assign came first (taken while open, then closed held: the close saw the holder) or
      // the close did (the assign refused as closed, the chat held by nobody).
      if (assign.ok) {
        expect(assign.conversation.status).toBe('open')
        expect(close.ok && close.conversation.assignedAgentId).toBe(agent)
        expect(conv.assignedAgentId).toBe(agent)
      } else {
        expect([assign.code, conv.assignedAgentId]).toEqual(['PARLEY_ERR_CONV_CLOSED', null])
      }
    }
    expect(await nodeB.listQueue(brandId, 100)).toEqual([])
    expect(await nodeA.countQueue(brandId)).toBe(0)
    expect(await nodeB.countActiveChats(brandId)).toEqual({})
  })

  it('opens a conversation once when the same open arrives on both nodes at once', async () => {
    const { brandId } = await brandWithAgents(0)
    const req = { brandId, convId: id('c_'), visitorId: id('v_'), clientMsgId: id('m_'), at: 2000, context: null, routing: {}, response: null }
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? nodeA : nodeB).openConversation(req)))
    expect(results.filter((r) => r.ok && r.created)).toHaveLength(1)
    expect(results.every((r) => r.ok && r.conversation.convId === req.convId)).toBe(true)
    expect(await nodeA.countQueue(brandId)).toBe(1)
  })
})
