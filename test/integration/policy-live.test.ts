import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ErrorCode, Role, ServerFrame } from '@parley/sdk/contract'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand, type TestBrand } from '../helpers/brand.js'
import { openChat, TEAM_SURVEY } from '../helpers/routing-floor.js'
import { POST_SURVEY } from '../helpers/survey-brand.js'
import { TestClient } from '../helpers/ws-client.js'
import { until } from '../helpers/until.js'
import { endSessions, endVisitorSession } from '../../server/src/auth/session-revocation.js'
import { createTokenSigner } from '../../server/src/auth/tokens.js'

// The policy over WebSocket frames: each action × role × the conversation's relation to the caller
// (took part / waiting / someone else's), with the frame that answers it or its typed error. A
// denial by the policy is audited as access.denied; a join as one conversation.read. And sessions
// ended on this node close their live connections with 4401 at once, or at the next recheck.

type Relation = 'took part' | 'waiting' | "someone else's"
type Expected = ServerFrame['type'] | ErrorCode

/** A frame for the action on `convId`; `cat` is a colleague online with the skill `tech`. */
const ACTIONS: Record<string, (convId: string, cat: string) => Record<string, unknown>> = {
  join: (convId) => ({ type: 'conversation.join', convId }),
  assign: (convId, cat) => ({ type: 'conversation.assign', convId, agentId: cat }),
  'transfer to a colleague': (convId, cat) => ({ type: 'conversation.transfer', convId, agentId: cat, note: 'over to you' }),
  'transfer to a queue': (convId) => ({ type: 'conversation.transfer', convId, skill: 'tech' }),
  'note.add': (convId) => ({ type: 'note.add', convId, clientNoteId: `n${convId}`, text: 'a note' }),
  'survey.request': (convId) => ({ type: 'survey.request', convId }),
  close: (convId) => ({ type: 'conversation.close', convId }),
}

/** What each role gets for each action and relation (the same for admins as for supervisors). */
function expected(role: Role, action: string, rel: Relation): Expected {
  const agentRole = role === 'agent'
  switch (action) {
    case 'join': return agentRole && rel === "someone else's" ? 'PARLEY_ERR_AUTH_NOT_PARTICIPANT' : 'conversation.joined'
    case 'assign':
    case 'transfer to a colleague':
      return agentRole && rel === "someone else's" ? 'PARLEY_ERR_AUTH_ROLE' : 'conversation.assigned'
    case 'transfer to a queue': return agentRole && rel === "someone else's" ? 'PARLEY_ERR_AUTH_ROLE' : 'conversation.requeued'
    // Notes and surveys keep the rules they had before roles: one must take part (a note also while it waits).
    case 'note.add': return rel === "someone else's" ? 'PARLEY_ERR_CONV_NOT_JOINED' : 'note.added'
    case 'survey.request': return rel === 'took part' ? 'survey.requested' : 'PARLEY_ERR_CONV_NOT_FOUND'
    case 'close': return rel === 'took part' ? 'conversation.closed' : 'PARLEY_ERR_CONV_NOT_JOINED'
  }
  throw new Error(`no expectation for ${action}`)
}

const ROLES: Role[] = ['agent', 'supervisor', 'admin']
const RELATIONS: Relation[] = ['took part', 'waiting', "someone else's"]
const TABLE = ROLES.flatMap((role) => Object.keys(ACTIONS).flatMap((action) => RELATIONS.map((rel) => [role, action, rel, expected(role, action, rel)] as const)))

describe('the policy over WebSocket frames', () => {
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay({ relay: { sessionRecheckMs: 100 }, limits: { connectionsPerIp: 10_000 } }) })
  afterAll(async () => { await relay.close() })

  /** A brand with the team and post-chat surveys, its holder Hal (plain agent) and Cat (tech), both online. */
  async function floor() {
    const brand = await createTestBrand(relay)
    await relay.deps.store.setSurveysConfig(brand.brandId, { surveys: [TEAM_SURVEY, POST_SURVEY], pre: 'team', post: 'after' }, [TEAM_SURVEY, POST_SURVEY], 1)
    const hal = await createTestAgent(relay, brand.brandId, 'Hal', 'agent')
    const cat = await createTestAgent(relay, brand.brandId, 'Cat', 'agent')
    await relay.deps.store.updateAgent(brand.brandId, cat.agentId, { skills: ['tech'], capacity: 10 })
    const halClient = (await TestClient.agent(relay.wsUrl, hal.token)).client
    const catClient = (await TestClient.agent(relay.wsUrl, cat.token)).client
    return { brand, hal, cat, halClient, catClient }
  }

  let shared: Awaited<ReturnType<typeof floor>> | undefined
  const actors = new Map<Role, { agentId: string; client: TestClient }>()
  afterAll(() => {
    for (const a of actors.values()) a.client.ws.close()
    shared?.halClient.ws.close()
    shared?.catClient.ws.close()
  })

  async function actor(role: Role) {
    shared ??= await floor()
    let a = actors.get(role)
    if (!a) {
      const made = await createTestAgent(relay, shared.brand.brandId, `An ${role}`, role)
      a = { agentId: made.agentId, client: (await TestClient.agent(relay.wsUrl, made.token)).client }
      actors.set(role, a)
    }
    return { ...shared, me: a }
  }

  /** A fresh chat in the relation `rel` to `me`. */
  async function chat(brand: TestBrand, rel: Relation, me: TestClient, hal: TestClient): Promise<string> {
    const visitor = await openChat(relay, brand, 'any')
    visitor.client.ws.close()
    const { convId } = visitor
    if (rel === 'waiting') return convId
    const holder = rel === 'took part' ? me : hal
    holder.send({ type: 'conversation.accept', convId, ref: `acc-${convId}` })
    await holder.next('conversation.joined', (f) => f.ref === `acc-${convId}`)
    return convId
  }

  it.each(TABLE)('%s: %s of a conversation they %s → %s', async (role, action, rel, want) => {
    const { brand, cat, halClient, me } = await actor(role)
    const convId = await chat(brand, rel, me.client, halClient)
    const ref = `${action}-${convId}`.replace(/[^A-Za-z0-9_-]/g, '-')
    me.client.send({ ...ACTIONS[action]!(convId, cat.agentId), ref })
    const answer = await until(() => me.client.frames.find((f) => 'ref' in f && f.ref === ref), `the answer to ${action}`)
    if (want.startsWith('PARLEY_ERR_')) {
      expect(answer).toMatchObject({ type: 'error', code: want })
      if (want === 'PARLEY_ERR_AUTH_NOT_PARTICIPANT' || want === 'PARLEY_ERR_AUTH_ROLE') {
        // A policy denial leaves one access.denied entry naming the conversation.
        const denied = await relay.deps.store.listAudit(brand.brandId, { action: 'access.denied', actorId: me.agentId, limit: 100 })
        expect(denied.filter((e) => e.resource?.id === convId)).toMatchObject([{ outcome: 'denied', code: want, actor: { kind: 'agent', id: me.agentId } }])
      }
    } else {
      expect(answer).toMatchObject({ type: want })
    }
  })

  it('keeps the holder of a chat an agent role was refused to hand on', async () => {
    const { brand, cat, hal, halClient, me } = await actor('agent')
    const convId = await chat(brand, "someone else's", me.client, halClient)
    me.client.send({ type: 'conversation.assign', convId, agentId: cat.agentId, ref: 'keep' })
    expect(await me.client.next('error', (f) => f.ref === 'keep')).toMatchObject({ code: 'PARLEY_ERR_AUTH_ROLE' })
    expect((await relay.deps.store.getConversation(brand.brandId, convId))?.assignedAgentId).toBe(hal.agentId)
  })

  it('lets a supervisor requeue a chat someone else holds, who then no longer takes part', async () => {
    const { brand, hal, halClient, me } = await actor('supervisor')
    const convId = await chat(brand, "someone else's", me.client, halClient)
    me.client.send({ type: 'conversation.transfer', convId, skill: 'tech', ref: 'rq' })
    await me.client.next('conversation.requeued', (f) => f.ref === 'rq')
    const conv = await relay.deps.store.getConversation(brand.brandId, convId)
    expect(conv?.assignedAgentId).toBeNull()
    expect(await relay.deps.store.isParticipant(brand.brandId, convId, { kind: 'agent', id: me.agentId })).toBe(false)
    expect(hal.agentId).not.toBe(me.agentId)
  })

  it('leaves a supervisor out of a chat closed before their requeue, refused with PARLEY_ERR_CONV_CLOSED', async () => {
    const { brand, halClient, me } = await actor('supervisor')
    const convId = await chat(brand, "someone else's", me.client, halClient)
    halClient.send({ type: 'conversation.close', convId, ref: `close-${convId}` })
    await halClient.next('conversation.closed', (f) => f.convId === convId)
    me.client.send({ type: 'conversation.transfer', convId, skill: 'tech', ref: 'rq-closed' })
    expect(await me.client.next('error', (f) => f.ref === 'rq-closed')).toMatchObject({ code: 'PARLEY_ERR_CONV_CLOSED' })
    expect(await relay.deps.store.isParticipant(brand.brandId, convId, { kind: 'agent', id: me.agentId })).toBe(false)
  })

  it('records one conversation.read per join, and none for a refused one', async () => {
    const { brand, halClient, me } = await actor('agent')
    const mine = await chat(brand, 'waiting', me.client, halClient)
    const theirs = await chat(brand, "someone else's", me.client, halClient)
    me.client.send({ type: 'conversation.join', convId: mine, ref: 'j1' })
    await me.client.next('conversation.joined', (f) => f.ref === 'j1')
    me.client.send({ type: 'conversation.join', convId: theirs, ref: 'j2' })
    await me.client.next('error', (f) => f.ref === 'j2')
    const reads = await relay.deps.store.listAudit(brand.brandId, { action: 'conversation.read', actorId: me.agentId, limit: 100 })
    expect(reads.filter((e) => e.resource?.id === mine)).toHaveLength(1)
    expect(reads.filter((e) => e.resource?.id === theirs)).toHaveLength(0)
  })

  it('refuses a join whose read cannot be audited with PARLEY_ERR_SERVER_STORE, and leaves the agent out of it', async () => {
    const { brand, halClient, me } = await actor('agent')
    const convId = await chat(brand, 'waiting', me.client, halClient)
    const store = relay.deps.store
    const append = store.appendAudit
    store.appendAudit = () => Promise.reject(new Error('audit store down'))
    try {
      me.client.send({ type: 'conversation.join', convId, ref: 'unaudited' })
      expect(await me.client.next('error', (f) => f.ref === 'unaudited')).toMatchObject({ code: 'PARLEY_ERR_SERVER_STORE' })
    } finally {
      store.appendAudit = append
    }
    expect(await store.isParticipant(brand.brandId, convId, { kind: 'agent', id: me.agentId })).toBe(false)
    expect(me.client.frames.some((f) => f.type === 'conversation.joined' && f.convId === convId)).toBe(false)
  })

  it('lets every role list its conversations and the queue', async () => {
    for (const role of ROLES) {
      const { me } = await actor(role)
      me.client.send({ type: 'conversation.list', ref: `l-${role}` })
      await me.client.next('conversation.listed', (f) => f.ref === `l-${role}`)
      me.client.send({ type: 'queue.list', ref: `q-${role}` })
      await me.client.next('queue.listed', (f) => f.ref === `q-${role}`)
    }
  })

  it('lets an agent role join a chat they took part in again after it closed', async () => {
    const { brand, halClient, me } = await actor('agent')
    const convId = await chat(brand, 'took part', me.client, halClient)
    me.client.send({ type: 'conversation.close', convId, ref: 'close' })
    await me.client.next('conversation.closed', (f) => f.convId === convId)
    me.client.send({ type: 'conversation.join', convId, ref: 'rejoin' })
    expect(await me.client.next('conversation.joined', (f) => f.ref === 'rejoin')).toMatchObject({ status: 'closed' })
  })

  // Frames that read or touch a conversation without the policy's join: an agent role who never
  // took part gets the conversation as unknown (typed, ref'd), and nothing is replayed or relayed.
  it.each([
    ['conversation.resume', (convId: string, ref: string) => ({ type: 'conversation.resume', convs: [{ convId, afterSeq: 0 }], ref }), (convId: string) => convId],
    ['message.read', (convId: string, ref: string) => ({ type: 'message.read', convId, seq: 1, ref }), (_: string, ref: string) => ref],
    ['typing.start', (convId: string, ref: string) => ({ type: 'typing.start', convId, ref }), (_: string, ref: string) => ref],
  ] as const)('answers %s by an agent role of a conversation they never took part in PARLEY_ERR_CONV_NOT_FOUND', async (kind, frame, answerRef) => {
    const { brand, hal, halClient, me } = await actor('agent')
    const convId = await chat(brand, "someone else's", me.client, halClient)
    const ref = `${kind}-${convId}`.replace(/[^A-Za-z0-9_-]/g, '-')
    me.client.send(frame(convId, ref))
    const answer = await me.client.next('error', (f) => f.ref === answerRef(convId, ref))
    expect(answer).toMatchObject({ type: 'error', code: 'PARLEY_ERR_CONV_NOT_FOUND' })
    expect(me.client.frames.some((f) => f.type === 'message.new' && f.convId === convId)).toBe(false)
    expect(await relay.deps.store.isParticipant(brand.brandId, convId, { kind: 'agent', id: me.agentId })).toBe(false)
    expect(hal.agentId).not.toBe(me.agentId)
  })

  describe("a verified customer's history", () => {
    /** A brand whose plain agent took part in one of verified customer Vera's two closed chats; Vic is verified, not served. */
    async function served(history: boolean) {
      const brand = await createTestBrand(relay)
      if (history) await relay.deps.store.setSecurityConfig(brand.brandId, { agentsSeeCustomerHistory: true })
      const ann = await createTestAgent(relay, brand.brandId, 'Ann', 'agent')
      for (const [convId, visitorId, at] of [['vera-old', 'v-vera', 1_000], ['vera-new', 'v-vera', 2_000], ['vic-1', 'v-vic', 3_000]] as const) {
        await relay.deps.store.appendMessages([{ brandId: brand.brandId, convId, clientMsgId: `${convId}-m1`, from: { kind: 'visitor', id: visitorId }, text: 'hi', at, context: null }])
        await relay.deps.store.closeConversation(brand.brandId, convId, { kind: 'visitor', id: visitorId }, at + 1)
      }
      for (const [customerId, visitorId] of [['c-vera', 'v-vera'], ['c-vic', 'v-vic']] as const) {
        await relay.deps.store.linkCustomer({ brandId: brand.brandId, customerId, visitorId, newVisitorId: visitorId, convIds: [], name: null, email: null, at: 10 })
      }
      await relay.deps.store.joinConversation(brand.brandId, 'vera-new', ann.agentId, 4_000)
      const client = (await TestClient.agent(relay.wsUrl, ann.token)).client
      const join = async (convId: string) => {
        client.send({ type: 'conversation.join', convId, ref: `j-${convId}` })
        return until(() => client.frames.find((f) => 'ref' in f && f.ref === `j-${convId}`), `the answer to joining ${convId}`)
      }
      return { brand, ann, client, join }
    }

    it('lets an agent role join an earlier chat of a verified customer they serve when the brand allows it, audited as a read', async () => {
      const { brand, ann, client, join } = await served(true)
      expect(await join('vera-old')).toMatchObject({ type: 'conversation.joined', convId: 'vera-old' })
      const reads = await relay.deps.store.listAudit(brand.brandId, { action: 'conversation.read', actorId: ann.agentId, limit: 10 })
      expect(reads.filter((e) => e.resource?.id === 'vera-old')).toHaveLength(1)
      expect(await join('vic-1')).toMatchObject({ type: 'error', code: 'PARLEY_ERR_AUTH_NOT_PARTICIPANT' })
      client.ws.close()
    })

    it('refuses it with PARLEY_ERR_AUTH_NOT_PARTICIPANT when the brand leaves agentsSeeCustomerHistory off', async () => {
      const { client, join } = await served(false)
      expect(await join('vera-old')).toMatchObject({ type: 'error', code: 'PARLEY_ERR_AUTH_NOT_PARTICIPANT' })
      client.ws.close()
    })
  })

  describe('ended sessions', () => {
    /** An agent role connected twice (two tabs of one session), and the session's id. */
    async function signedIn() {
      const brand = await createTestBrand(relay)
      await relay.deps.store.setSurveysConfig(brand.brandId, { surveys: [TEAM_SURVEY], pre: 'team' }, [TEAM_SURVEY], 1)
      const a = await createTestAgent(relay, brand.brandId, 'Tab', 'agent')
      const sid = (JSON.parse(Buffer.from(a.token.split('.')[1]!, 'base64url').toString()) as { sid: string }).sid
      const tabs = [(await TestClient.agent(relay.wsUrl, a.token)).client, (await TestClient.agent(relay.wsUrl, a.token)).client]
      return { brand, a, sid, tabs }
    }

    it('closes every connection of a revoked session with 4401 PARLEY_ERR_AUTH_SESSION_REVOKED when the note is heard', async () => {
      const { brand, sid, tabs } = await signedIn()
      const other = await signedIn()
      await relay.deps.store.revokeSession(brand.brandId, sid, Date.now())
      endSessions(relay.deps.bus, brand.brandId, [sid])
      for (const tab of tabs) {
        await until(() => tab.closeCode, 'the tab to close')
        expect(tab.closeCode).toBe(4401)
        expect(tab.all('error').at(-1)).toMatchObject({ code: 'PARLEY_ERR_AUTH_SESSION_REVOKED' })
      }
      // Another session of another brand stays open.
      other.tabs[0]!.send({ type: 'ping', ref: 'still' })
      await other.tabs[0]!.next('pong', (f) => f.ref === 'still')
      for (const tab of other.tabs) tab.ws.close()
    })

    it("closes a visitor's connections that use an ended visitor session with 4401, and no other visitor's", async () => {
      const brand = await createTestBrand(relay)
      const signer = createTokenSigner(Buffer.from('test-secret-test-secret-test-secret!!'), () => Date.now())
      const visitorToken = (sid: string) => signer.sign({ sub: 'v_leaving', brand: brand.brandId, kind: 'visitor', sid }, 600).token
      const ended = (await TestClient.visitor(relay.wsUrl, brand.siteKey, { token: visitorToken('vs_1'), origin: brand.origin })).client
      const later = (await TestClient.visitor(relay.wsUrl, brand.siteKey, { token: visitorToken('vs_2'), origin: brand.origin })).client
      const stranger = (await TestClient.visitor(relay.wsUrl, brand.siteKey, { origin: brand.origin })).client
      endVisitorSession(relay.deps.bus, brand.brandId, 'v_leaving', 'vs_1')
      expect(await until(() => ended.closeCode, 'the visitor socket to close')).toBe(4401)
      expect(ended.all('error').at(-1)).toMatchObject({ code: 'PARLEY_ERR_AUTH_SESSION_REVOKED' })
      for (const c of [later, stranger]) {
        c.send({ type: 'ping', ref: 'still' })
        await c.next('pong', (f) => f.ref === 'still')
        c.ws.close()
      }
    })

    it('closes the connections of a session revoked in the store alone at the next recheck', async () => {
      const { brand, sid, tabs } = await signedIn()
      await relay.deps.store.revokeSession(brand.brandId, sid, Date.now())
      for (const tab of tabs) expect(await until(() => tab.closeCode, 'the recheck to close the tab')).toBe(4401)
      expect(tabs[0]!.all('error').at(-1)).toMatchObject({ code: 'PARLEY_ERR_AUTH_SESSION_REVOKED' })
    })

    it('closes a deactivated account\'s connections with PARLEY_ERR_AUTH_ACCOUNT_INACTIVE at the next recheck', async () => {
      const { brand, a, tabs } = await signedIn()
      // Another admin keeps the brand administered.
      await createTestAgent(relay, brand.brandId, 'Boss', 'admin')
      const changed = await relay.deps.store.setAgentAccess(brand.brandId, a.agentId, { active: false }, Date.now())
      expect(changed.ok).toBe(true)
      for (const tab of tabs) expect(await until(() => tab.closeCode, 'the tab to close')).toBe(4401)
    })

    it('decides the next frame with a role changed while the connection is open', async () => {
      const { brand, a, tabs } = await signedIn()
      const hal = await createTestAgent(relay, brand.brandId, 'Hal', 'agent')
      const halClient = (await TestClient.agent(relay.wsUrl, hal.token)).client
      await relay.deps.store.updateAgent(brand.brandId, hal.agentId, { capacity: 10 })
      const convId = await chat(brand, "someone else's", tabs[0]!, halClient)
      tabs[0]!.send({ type: 'conversation.join', convId, ref: 'before' })
      expect(await tabs[0]!.next('error', (f) => f.ref === 'before')).toMatchObject({ code: 'PARLEY_ERR_AUTH_NOT_PARTICIPANT' })
      await createTestAgent(relay, brand.brandId, 'Boss', 'admin')
      await relay.deps.store.setAgentAccess(brand.brandId, a.agentId, { role: 'supervisor' }, Date.now())
      // The recheck takes the role in place: ask again until it has (each ask gets its own answer).
      let attempt = 0
      await until(async () => {
        const ref = `after-${++attempt}`
        tabs[0]!.send({ type: 'conversation.join', convId, ref })
        const answer = await until(() => tabs[0]!.frames.find((f) => 'ref' in f && f.ref === ref), 'an answer')
        return answer.type === 'conversation.joined'
      }, 'the new role to take effect')
      for (const c of [...tabs, halClient]) c.ws.close()
    })
  })
})
