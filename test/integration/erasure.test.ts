import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { Value } from '@sinclair/typebox/value'
import { ErasureReceipt, ErasureRequest, type Scope } from '@parley/sdk/contract'
import { createApiKey, hashApiKey } from '../../server/src/auth/api-keys.js'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand, type TestAgent, type TestBrand } from '../helpers/brand.js'
import { callRest } from '../helpers/rest.js'
import { connectAgent, connectVisitor, frameOf, openAndJoin, sendAndAck } from '../helpers/delivery-chat.js'
import { expectErrorBody } from '../helpers/expect-error.js'
import { createFakeClock, type FakeClock } from '../helpers/fake-clock.js'
import { until } from '../helpers/until.js'
import { TestClient } from '../helpers/ws-client.js'
import { liveClient } from '../helpers/live-client.js'

// Erasing a visitor over a real relay and SQLite file: at once (the receipt, the stub agents see,
// the visitor's socket and token ended, the ledger line), scheduled and cancelled, scheduled and
// run by the sweep once the fake clock passes the grace period, and every refusal.

const DAY_MS = 86_400_000

/** A key of `brand` with exactly `scopes`, stored as the keys routes store one. */
async function keyWith(relay: TestRelay, brandId: string, scopes: readonly Scope[]): Promise<string> {
  const secret = createApiKey()
  await relay.deps.store.createApiKey({
    brandId, keyId: `key_${randomBytes(6).toString('hex')}`, name: 'test key', scopes: [...scopes], keyHash: hashApiKey(secret), prefix: secret.slice(0, 8),
    createdAt: relay.deps.clock.now(), lastUsedAt: null, expiresAt: null, revokedAt: null, createdBy: 'cli', replacedBy: null,
  })
  return secret
}

describe('erasing a visitor', () => {
  let relay: TestRelay
  let clock: FakeClock
  beforeAll(async () => {
    clock = createFakeClock()
    relay = await startRelay({ clock, relay: { erasureSweepMs: 20 } })
  })
  afterAll(async () => { await relay.close() })

  /** A brand with an admin watching, a visitor in a chat the admin joined, and a second visitor with a chat of their own. */
  async function scene(): Promise<{ brand: TestBrand; admin: TestAgent; agent: TestClient; convId: string; otherConvId: string; visitor: Awaited<ReturnType<typeof connectVisitor>>; other: Awaited<ReturnType<typeof connectVisitor>>; erase: string }> {
    const brand = await createTestBrand(relay)
    const admin = await createTestAgent(relay, brand.brandId, 'Ada', 'admin')
    const { client: agent } = await connectAgent(relay, admin)
    const visitor = await connectVisitor(relay, brand)
    const other = await connectVisitor(relay, brand)
    const convId = `c_${randomBytes(6).toString('hex')}`
    const otherConvId = `c_${randomBytes(6).toString('hex')}`
    await openAndJoin(visitor.client, agent, convId, 'my quokkazanzibar is lost')
    await sendAndAck(visitor.client, convId, 'm2', 'please call me')
    await sendAndAck(agent, convId, 'a1', 'on it')
    await sendAndAck(other.client, otherConvId, 'o1', 'unrelated wombatfjord question')
    return { brand, admin, agent, convId, otherConvId, visitor, other, erase: await keyWith(relay, brand.brandId, ['data:erase']) }
  }

  it('erases at once: the receipt counts what went, agents see the stub, the visitor is signed out, the other visitor stays', async () => {
    const s = await scene()
    const res = await callRest(relay, { method: 'POST', url: '/v1/visitors/erase', token: s.erase, body: { selector: { visitorId: s.visitor.visitorId } } })
    expect(res.status).toBe(200)
    expect(Value.Check(ErasureReceipt, res.body), res.raw).toBe(true)
    expect(res.body).toMatchObject({ brandId: s.brand.brandId, selector: 'visitorId', visitorIds: [s.visitor.visitorId], held: [] })
    expect(res.body.removed).toMatchObject({ conversations: 1, messages: 3, visitors: 1 })

    // The agent who watched it: closed (it was open), then a stub.
    const erased = await frameOf(s.agent, 'conversation.erased', (f) => f.convId === s.convId)
    expect(erased.erasedAt).toBe(res.body.erasedAt)
    await frameOf(s.agent, 'conversation.closed', (f) => f.convId === s.convId && f.by.kind === 'system')
    // The visitor's socket is closed as signed out, and their token is refused from now on.
    expect(await s.visitor.client.closed()).toBe(4401)
    const again = await TestClient.connect(`${relay.wsUrl}?site=${encodeURIComponent(s.brand.siteKey)}`)
    again.send({ type: 'hello', protocol: 1, auth: { kind: 'visitor', token: s.visitor.token } })
    expect((await again.next('error')).code).toBe('PARLEY_ERR_AUTH_SESSION_REVOKED')
    again.close()

    expect(await relay.deps.store.readMessages(s.brand.brandId, s.convId, 0, 100)).toEqual([])
    expect((await relay.deps.store.readMessages(s.brand.brandId, s.otherConvId, 0, 100)).map((m) => m.text)).toEqual(['unrelated wombatfjord question'])
    expect(s.other.client.closeCode).toBeNull()
    // Neither the database file nor its WAL keeps the erased words (secure_delete, then the WAL emptied).
    const files = ['parley.db', 'parley.db-wal'].map((f) => join(relay.dataDir, f)).filter((f) => existsSync(f)).map((f) => readFileSync(f))
    expect(files.some((bytes) => bytes.includes('wombatfjord')), 'the other visitor\'s words are still stored').toBe(true)
    for (const bytes of files) expect(bytes.includes('quokkazanzibar')).toBe(false)

    const ledger = readFileSync(join(relay.dataDir, 'erasure-ledger.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
    expect(ledger.find((e) => e.requestId === res.body.requestId)).toEqual({
      v: 1, brandId: s.brand.brandId, requestId: res.body.requestId, visitorIds: [s.visitor.visitorId], convIds: [s.convId], at: res.body.erasedAt,
    })
    const stored = await callRest(relay, { url: `/v1/erasures/${res.body.requestId}`, token: s.erase })
    expect(stored.body).toMatchObject({ status: 'done', selector: 'visitorId', receipt: res.body })
    const audit = await relay.deps.store.listAudit(s.brand.brandId, { action: 'data.erase', limit: 10 })
    expect(audit).toHaveLength(1)
    expect(audit[0]!.detail).toMatchObject({ selector: 'visitorId', messages: 3, conversations: 1 })
    expect(JSON.stringify(audit)).not.toMatch(/quokkazanzibar|call me/)
  })

  it('leaves a conversation under a legal hold out of the ledger line, so a replay into an older backup cannot erase it', async () => {
    const s = await scene()
    const heldConvId = `c_${randomBytes(6).toString('hex')}`
    await openAndJoin(s.visitor.client, s.agent, heldConvId, 'kept for the court')
    const hold = await callRest(relay, { method: 'PUT', url: `/v1/conversations/${heldConvId}/hold`, token: s.erase, body: { reason: 'Litigation 2026-7' } })
    expect(hold.status, hold.raw).toBe(200)
    const res = await callRest(relay, { method: 'POST', url: '/v1/visitors/erase', token: s.erase, body: { selector: { visitorId: s.visitor.visitorId } } })
    expect(res.status, res.raw).toBe(200)
    expect(res.body.held).toEqual([heldConvId])
    const ledger = readFileSync(join(relay.dataDir, 'erasure-ledger.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { requestId: string; convIds: string[] })
    const lines = ledger.filter((e) => e.requestId === res.body.requestId)
    expect(lines.length).toBeGreaterThan(0)
    expect(lines.flatMap((e) => e.convIds)).toEqual([s.convId])
    expect((await relay.deps.store.readMessages(s.brand.brandId, heldConvId, 0, 100)).map((m) => m.text)).toEqual(['kept for the court'])
  })

  it('refuses the token of a visitor who was away at erasure time; their client starts over as a new visitor', async () => {
    const brand = await createTestBrand(relay)
    const url = `${relay.wsUrl}?site=${encodeURIComponent(brand.siteKey)}`
    const first = liveClient({ url, auth: { kind: 'visitor' } })
    onTestFinished(() => first.conn.stop())
    await first.open()
    const welcome = first.conn.state.kind === 'open' ? first.conn.state.welcome : null
    if (welcome?.identity.kind !== 'visitor') throw new Error('expected a visitor welcome')
    const { visitorId: oldId, token } = welcome.identity
    const convId = `c_${randomBytes(6).toString('hex')}`
    await first.conn.send(convId, 'remember my wallabyquince')
    await until(() => first.conn.lastSeq(convId) > 0, 'the message acked')
    await first.conn.stop()

    const res = await callRest(relay, { method: 'POST', url: '/v1/visitors/erase', token: await keyWith(relay, brand.brandId, ['data:erase']), body: { selector: { visitorId: oldId } } })
    expect(res.status, res.raw).toBe(200)

    // The old token: refused at hello and over REST.
    const raw = await TestClient.connect(url)
    onTestFinished(() => raw.close())
    raw.send({ type: 'hello', protocol: 1, auth: { kind: 'visitor', token } })
    expect((await raw.next('error')).code).toBe('PARLEY_ERR_AUTH_SESSION_REVOKED')
    const transcript = await callRest(relay, { url: `/v1/conversations/${convId}/messages`, token })
    expect(transcript.status).toBe(401)
    const form = await callRest(relay, {
      method: 'POST', url: `/v1/sites/${brand.siteKey}/offline-messages`, token, headers: { origin: brand.origin },
      body: { clientMsgId: 'after-erasure', name: 'Ada', email: 'ada@example.com', message: 'back again' },
    })
    expectErrorBody(form, 'PARLEY_ERR_AUTH_SESSION_REVOKED')

    // The same browser storage comes back: a fresh visitor, holding nothing of the erased visit.
    const again = liveClient({ url, auth: { kind: 'visitor' }, storage: first.storage, start: false })
    onTestFinished(() => again.conn.stop())
    // The widget drops its saved history on this event.
    let forgotten = 0
    again.conn.on('forgotten', () => { forgotten++ })
    again.conn.start()
    await until(() => again.conn.state.kind === 'open' && again.conn.state.welcome.identity.kind === 'visitor' && again.conn.state.welcome.identity.visitorId !== oldId, 'a new visitor')
    expect(again.conn.lastSeq(convId)).toBe(0)
    expect(forgotten).toBe(1)
    expect(await relay.deps.store.getVisitor(brand.brandId, oldId)).toBeNull()
  })

  it('tells an agent who opens the stub later (a reloaded console) when it was erased, over the socket and REST', async () => {
    const s = await scene()
    const res = await callRest(relay, { method: 'POST', url: '/v1/visitors/erase', token: s.erase, body: { selector: { visitorId: s.visitor.visitorId } } })
    expect(res.status, res.raw).toBe(200)
    const { client } = await connectAgent(relay, s.admin)
    client.send({ type: 'conversation.join', convId: s.convId, ref: 'j1' })
    const joined = await client.next('conversation.joined', (f) => f.ref === 'j1')
    expect(joined).toMatchObject({ status: 'closed', erasedAt: res.body.erasedAt })
    const stored = await callRest(relay, { url: `/v1/conversations/${s.convId}`, token: s.admin.token })
    expect(stored.body).toMatchObject({ erasedAt: res.body.erasedAt })
    // The other visitor's conversation was never erased: its join says nothing of it.
    client.send({ type: 'conversation.join', convId: s.otherConvId, ref: 'j2' })
    expect(await client.next('conversation.joined', (f) => f.ref === 'j2')).not.toHaveProperty('erasedAt')
  })

  it("schedules with the brand's erasureGraceDays when the request names no grace period", async () => {
    const s = await scene()
    await relay.deps.store.setPrivacyConfig(s.brand.brandId, { erasureGraceDays: 5 })
    const res = await callRest(relay, { method: 'POST', url: '/v1/visitors/erase', token: s.erase, body: { selector: { visitorId: s.visitor.visitorId } } })
    expect(res.status).toBe(202)
    expect(res.body.runAt).toBe(res.body.requestedAt + 5 * DAY_MS)
    const now = await callRest(relay, { method: 'POST', url: '/v1/visitors/erase', token: s.erase, body: { selector: { visitorId: s.other.visitorId }, graceDays: 0 } })
    expect(now.status).toBe(200)
  })

  it('answers a retry with the same Idempotency-Key with the first receipt', async () => {
    const s = await scene()
    const call = () => callRest(relay, { method: 'POST', url: '/v1/visitors/erase', token: s.erase, headers: { 'idempotency-key': 'erase-1' }, body: { selector: { visitorId: s.visitor.visitorId } } })
    const first = await call()
    const second = await call()
    expect(second.status).toBe(200)
    expect(second.headers['idempotent-replayed']).toBe('true')
    expect(second.body).toEqual(first.body)
  })

  it('schedules an erasure with a grace period and cancels it within the period; nothing is erased', async () => {
    const s = await scene()
    const now = clock.now()
    const res = await callRest(relay, { method: 'POST', url: '/v1/visitors/erase', token: s.erase, body: { selector: { visitorId: s.visitor.visitorId }, graceDays: 3 } })
    expect(res.status).toBe(202)
    expect(Value.Check(ErasureRequest, res.body), res.raw).toBe(true)
    expect(res.body).toMatchObject({ status: 'scheduled', selector: 'visitorId', runAt: now + 3 * DAY_MS, receipt: null })
    const cancelled = await callRest(relay, { method: 'DELETE', url: `/v1/erasures/${res.body.requestId}`, token: s.erase })
    expect(cancelled.status).toBe(200)
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelledAt: now })
    expectErrorBody(await callRest(relay, { method: 'DELETE', url: `/v1/erasures/${res.body.requestId}`, token: s.erase }), 'PARLEY_ERR_ERASURE_NOT_CANCELLABLE')
    const list = await callRest(relay, { url: '/v1/erasures', token: s.erase })
    expect(list.body.erasures.map((r: ErasureRequest) => r.status)).toEqual(['cancelled'])
    expect(await relay.deps.store.readMessages(s.brand.brandId, s.convId, 0, 100)).toHaveLength(3)
    expect((await relay.deps.store.listAudit(s.brand.brandId, { limit: 10 })).map((e) => e.action)).toEqual(expect.arrayContaining(['erasure.schedule', 'erasure.cancel']))
  })

  it('runs a scheduled erasure once the grace period is over, and keeps its receipt', async () => {
    const s = await scene()
    const res = await callRest(relay, { method: 'POST', url: '/v1/visitors/erase', token: s.erase, body: { selector: { visitorId: s.visitor.visitorId }, graceDays: 1 } })
    expect(res.status).toBe(202)
    clock.advance(DAY_MS + 1)
    const done = await until(async () => {
      const r = await callRest(relay, { url: `/v1/erasures/${res.body.requestId}`, token: s.erase })
      return r.body.status === 'done' ? r.body as ErasureRequest : null
    }, 'the sweep to run the erasure')
    expect(done.receipt).toMatchObject({ requestId: res.body.requestId, visitorIds: [s.visitor.visitorId], removed: { conversations: 1, messages: 3 } })
    expect(await relay.deps.store.readMessages(s.brand.brandId, s.convId, 0, 100)).toEqual([])
    await frameOf(s.agent, 'conversation.erased', (f) => f.convId === s.convId)
    expectErrorBody(await callRest(relay, { method: 'DELETE', url: `/v1/erasures/${res.body.requestId}`, token: s.erase }), 'PARLEY_ERR_ERASURE_NOT_CANCELLABLE')
  })

  describe('refusals', () => {
    it('refuses a key without data:erase and an agent below admin, and erases nothing', async () => {
      const s = await scene()
      const body = { selector: { visitorId: s.visitor.visitorId } }
      const reader = await keyWith(relay, s.brand.brandId, ['data:export'])
      expectErrorBody(await callRest(relay, { method: 'POST', url: '/v1/visitors/erase', token: reader, body }), 'PARLEY_ERR_AUTH_SCOPE')
      const supervisor = await createTestAgent(relay, s.brand.brandId, 'Sam', 'supervisor')
      expectErrorBody(await callRest(relay, { method: 'POST', url: '/v1/visitors/erase', token: supervisor.token, body }), 'PARLEY_ERR_AUTH_ROLE')
      expectErrorBody(await callRest(relay, { url: '/v1/erasures', token: supervisor.token }), 'PARLEY_ERR_AUTH_ROLE')
      expect(await relay.deps.store.readMessages(s.brand.brandId, s.convId, 0, 100)).toHaveLength(3)
    })

    it('answers VISITOR_NOT_FOUND naming the selector kind, never the value, for an unknown visitor or one of another brand', async () => {
      const s = await scene()
      const otherBrand = await createTestBrand(relay)
      const otherKey = await keyWith(relay, otherBrand.brandId, ['data:erase'])
      const foreign = await callRest(relay, { method: 'POST', url: '/v1/visitors/erase', token: otherKey, body: { selector: { visitorId: s.visitor.visitorId } } })
      expectErrorBody(foreign, 'PARLEY_ERR_VISITOR_NOT_FOUND')
      const byEmail = await callRest(relay, { method: 'POST', url: '/v1/visitors/erase', token: s.erase, body: { selector: { email: 'nobody-here@example.com' } } })
      expectErrorBody(byEmail, 'PARLEY_ERR_VISITOR_NOT_FOUND')
      expect(byEmail.body.message).toContain('email')
      expect(byEmail.raw).not.toContain('nobody-here')
      expect(await relay.deps.store.readMessages(s.brand.brandId, s.convId, 0, 100)).toHaveLength(3)
    })

    it("answers ERASURE_NOT_FOUND for another brand's request", async () => {
      const s = await scene()
      const res = await callRest(relay, { method: 'POST', url: '/v1/visitors/erase', token: s.erase, body: { selector: { visitorId: s.visitor.visitorId }, graceDays: 2 } })
      const otherBrand = await createTestBrand(relay)
      const otherKey = await keyWith(relay, otherBrand.brandId, ['data:erase'])
      expectErrorBody(await callRest(relay, { url: `/v1/erasures/${res.body.requestId}`, token: otherKey }), 'PARLEY_ERR_ERASURE_NOT_FOUND')
      expectErrorBody(await callRest(relay, { method: 'DELETE', url: `/v1/erasures/${res.body.requestId}`, token: otherKey }), 'PARLEY_ERR_ERASURE_NOT_FOUND')
      expect((await callRest(relay, { url: `/v1/erasures/${res.body.requestId}`, token: s.erase })).body.status).toBe('scheduled')
    })
  })
})
