import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import type { ConversationListed } from '@parley/sdk/contract'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand } from '../helpers/brand.js'
import { expectRefusal } from '../helpers/expect-error.js'
import { seedConversations } from '../helpers/seed-conversations.js'
import { closeAfterTest, sendAndAck } from '../helpers/tracked-clients.js'
import { TestClient } from '../helpers/ws-client.js'
import { liveClient } from '../helpers/live-client.js'
import { until } from '../helpers/until.js'

// An agent who has joined thousands of open conversations: welcome carries a bounded page and the
// connection follows only what it was given; the rest is reachable page by page.

const JOINED = 3000
const BOUND = 200

describe('agent sign-in with thousands of joined conversations', () => {
  let relay: TestRelay
  let token: string
  let ids: string[]
  beforeAll(async () => {
    relay = await startRelay()
    const brand = await createTestBrand(relay)
    const agent = await createTestAgent(relay, brand.brandId)
    token = agent.token
    ids = await seedConversations(relay, brand.brandId, JOINED, 'joined')
    for (const convId of ids) await relay.deps.store.joinConversation(brand.brandId, convId, agent.agentId, 2_000_000)
  }, 120_000)
  afterAll(async () => { await relay.close() })

  async function signIn() {
    const { client, welcome } = await TestClient.agent(relay.wsUrl, token)
    return { client: closeAfterTest(client), welcome }
  }

  async function listPage(client: TestClient, cursor: string, ref: string): Promise<ConversationListed> {
    client.send({ type: 'conversation.list', cursor, ref })
    return client.next('conversation.listed', (f) => f.ref === ref)
  }

  it(`carries at most ${BOUND} conversations in welcome, the newest, and a cursor to the rest`, async () => {
    const { welcome } = await signIn()
    expect(welcome.conversations.map((c) => c.convId)).toEqual(ids.slice(-BOUND).reverse())
    expect(welcome.conversationsNext).toBeDefined()
  })

  it('reaches every joined conversation, each once, by paging from welcome', async () => {
    const { client, welcome } = await signIn()
    const seen = welcome.conversations.map((c) => c.convId)
    let next = welcome.conversationsNext
    for (let page = 0; next; page++) {
      const listed = await listPage(client, next, `p${page}`)
      expect(listed.conversations.length).toBeLessThanOrEqual(BOUND)
      seen.push(...listed.conversations.map((c) => c.convId))
      next = listed.next
    }
    expect(seen).toEqual([...ids].reverse())
  })

  it('delivers live messages of a conversation once its page has been listed', async () => {
    const tab = await signIn()
    const listed = await listPage(tab.client, tab.welcome.conversationsNext!, 'second')
    const convId = listed.conversations[0]!.convId
    const other = await signIn()
    await sendAndAck(other.client, convId, 'from-other-tab', 'on it')
    expect((await tab.client.next('message.new', (m) => m.convId === convId)).text).toBe('on it')
  })

  it('has the connection client list every joined conversation after welcome, page by page, and follow each', async () => {
    const c = liveClient({ url: relay.wsUrl, auth: { kind: 'agent', token }, resumeListed: false })
    onTestFinished(() => c.conn.stop())
    const listed: string[] = []
    c.conn.on('conversations', (list) => listed.push(...list.map((x) => x.convId)))
    await until(() => listed.length >= JOINED, 'every joined conversation listed', 30_000)
    // The oldest is on the last page: a message in it reaches the client live.
    const oldest = ids[0]!
    const other = await signIn()
    await sendAndAck(other.client, oldest, 'to-the-oldest', 'still here')
    await until(() => c.texts(oldest).includes('still here'), 'the live message in the oldest conversation')

    expect(listed).toEqual([...ids].reverse())
    expect(c.errors).toEqual([])
  })

  it('refuses a cursor the relay did not give with PARLEY_ERR_FRAME_INVALID', async () => {
    const { client } = await signIn()
    client.send({ type: 'conversation.list', cursor: '12.x.y', ref: 'bad' })
    expect((await expectRefusal(client, 'PARLEY_ERR_FRAME_INVALID')).ref).toBe('bad')
  })
})
