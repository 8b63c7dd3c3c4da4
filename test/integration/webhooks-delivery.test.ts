import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand, type TestBrand } from '../helpers/brand.js'
import { callRest } from '../helpers/rest.js'
import { connectAgent, connectVisitor, frameOf, openAndJoin, sendAndAck } from '../helpers/delivery-chat.js'
import { createFakeClock } from '../helpers/fake-clock.js'
import { until } from '../helpers/until.js'
import { postAnswers, saveTestSurveys } from '../helpers/survey-brand.js'
import { signaturesBy, startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js'

// Signed webhooks end to end on a real relay: events of a chat reach a real HTTP receiver, signed
// the Standard Webhooks way (checked here from the spec with node:crypto), with masked text only;
// failed attempts are retried on the backoff schedule (the relay's clock is the test's) and given up
// after a day; a rotated-out secret signs beside the new one for its grace period, then stops.

const CARD = '4111 1111 1111 1111'

describe('webhook deliveries', () => {
  const clock = createFakeClock()
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay({ clock, relay: { allowPrivateWebhookUrls: true, webhooks: { pollMs: 10 } } }) })
  afterAll(async () => { await relay.close() })

  async function receiver(status?: (n: number) => number): Promise<WebhookReceiver> {
    const r = await startWebhookReceiver(status)
    onTestFinished(() => r.close())
    return r
  }
  async function endpoint(brand: TestBrand, url: string, events: string[]): Promise<{ endpointId: string; secret: string }> {
    const res = await callRest(relay, { method: 'POST', url: '/v1/webhooks', token: brand.apiKey, body: { url, events } })
    expect(res.status, res.raw).toBe(201)
    return { endpointId: res.body.endpoint.endpointId, secret: res.body.secret }
  }
  const log = async (brand: TestBrand, endpointId: string) =>
    (await callRest(relay, { url: `/v1/webhooks/${endpointId}/deliveries`, token: brand.apiKey })).body.deliveries
  const ping = (brand: TestBrand, endpointId: string) => callRest(relay, { method: 'POST', url: `/v1/webhooks/${endpointId}/test`, token: brand.apiKey })

  it('posts message.created with the stored, masked text, signed with the endpoint secret', async () => {
    const hooks = await receiver()
    const brand = await createTestBrand(relay)
    const { secret } = await endpoint(brand, hooks.url, ['message.created'])
    const v = await connectVisitor(relay, brand)
    await sendAndAck(v.client, 'conv-card', 'm1', `my card is ${CARD}`)
    await until(() => hooks.received.length === 1, 'the webhook')
    const w = hooks.received[0]
    expect(JSON.parse(w!.body)).toEqual({
      type: 'message.created', timestamp: new Date(clock.now()).toISOString(), brandId: brand.brandId,
      data: { convId: 'conv-card', seq: 1, from: { kind: 'visitor', id: v.visitorId }, text: 'my card is [card]', at: clock.now() },
    })
    expect(w!.body).not.toContain('1111')
    expect(w!.headers['content-type']).toBe('application/json')
    expect(w!.headers['webhook-id']).toMatch(/^evt_/)
    expect(w!.headers['webhook-timestamp']).toBe(String(Math.floor(clock.now() / 1000)))
    expect(signaturesBy(secret, w!)).toBe(1)
    expect(signaturesBy('whsec_' + Buffer.alloc(32, 7).toString('base64'), w!)).toBe(0)
  })

  it('posts conversation.opened, .assigned and .closed to an endpoint subscribed to them, and nothing else', async () => {
    const hooks = await receiver()
    const brand = await createTestBrand(relay)
    await endpoint(brand, hooks.url, ['conversation.opened', 'conversation.assigned', 'conversation.closed'])
    const agent = await createTestAgent(relay, brand.brandId)
    const a = await connectAgent(relay, agent)
    const v = await connectVisitor(relay, brand)
    await openAndJoin(v.client, a.client, 'conv-life')
    a.client.send({ type: 'conversation.assign', convId: 'conv-life', agentId: agent.agentId, ref: 'take' })
    await frameOf(a.client, 'conversation.assigned', (f) => f.convId === 'conv-life')
    a.client.send({ type: 'conversation.close', convId: 'conv-life', ref: 'close' })
    await frameOf(a.client, 'conversation.closed', (f) => f.convId === 'conv-life')
    await until(() => hooks.received.length === 3, 'three webhooks')
    const bodies = hooks.received.map((w) => JSON.parse(w.body)).sort((x, y) => x.type.localeCompare(y.type))
    expect(bodies.map((b) => [b.type, b.data])).toEqual([
      ['conversation.assigned', { convId: 'conv-life', agentId: agent.agentId, by: { kind: 'agent', id: agent.agentId }, at: clock.now() }],
      ['conversation.closed', { convId: 'conv-life', by: { kind: 'agent', id: agent.agentId }, at: clock.now() }],
      ['conversation.opened', { convId: 'conv-life', visitorId: v.visitorId, at: clock.now(), origin: 'chat' }],
    ])
  })

  it('posts offline.created with the masked message and no contact details', async () => {
    const hooks = await receiver()
    const brand = await createTestBrand(relay)
    await endpoint(brand, hooks.url, ['offline.created'])
    const res = await callRest(relay, {
      method: 'POST', url: `/v1/sites/${brand.siteKey}/offline-messages`, headers: { origin: brand.origin },
      body: { name: 'Ada Lovelace', email: 'ada@example.com', message: `card ${CARD}`, clientMsgId: 'om-1' },
    })
    expect(res.status, res.raw).toBe(201)
    await until(() => hooks.received.length === 1, 'the webhook')
    const body = JSON.parse(hooks.received[0]!.body)
    expect(body).toMatchObject({ type: 'offline.created', data: { convId: res.body.convId, text: 'card [card]' } })
    expect(hooks.received[0]!.body).not.toMatch(/Ada|ada@example|1111/)
  })

  it('posts survey.answered with the survey and conversation, never the answers', async () => {
    const hooks = await receiver()
    const brand = await createTestBrand(relay)
    await saveTestSurveys(relay.deps.store, brand.brandId)
    await endpoint(brand, hooks.url, ['survey.answered'])
    const v = await connectVisitor(relay, brand)
    await sendAndAck(v.client, 'conv-survey', 'm1', 'hello')
    v.client.send({ type: 'survey.answer', convId: 'conv-survey', clientMsgId: 's1', survey: postAnswers({ score: 2, comment: 'slow replies from Ada' }) })
    await frameOf(v.client, 'survey.answered', (f) => f.clientMsgId === 's1')
    await until(() => hooks.received.length === 1, 'the webhook')
    expect(JSON.parse(hooks.received[0]!.body)).toMatchObject({ type: 'survey.answered', data: { convId: 'conv-survey', surveyId: 'after', at: clock.now() } })
    expect(hooks.received[0]!.body).not.toMatch(/slow replies|Ada|"score"/)
  })

  it('retries a failed delivery after 5 s, then 30 s, with the same webhook-id, and logs each attempt', async () => {
    const hooks = await receiver((n) => (n < 2 ? 500 : 200))
    const brand = await createTestBrand(relay)
    const { endpointId } = await endpoint(brand, hooks.url, ['conversation.opened'])
    expect((await ping(brand, endpointId)).status).toBe(201)
    await until(() => hooks.received.length === 1, 'the first attempt')
    const first = (await until(async () => { const [d] = await log(brand, endpointId); return d?.attempts === 1 && d }, 'the first attempt logged'))
    expect(first).toMatchObject({ status: 'pending', lastStatus: 500, lastError: null, deliveredAt: null })
    expect(first.nextAttemptAt - clock.now()).toBeGreaterThanOrEqual(4500)
    expect(first.nextAttemptAt - clock.now()).toBeLessThanOrEqual(5500)
    clock.advance(4000)
    expect(hooks.received).toHaveLength(1)
    clock.advance(1600)
    await until(() => hooks.received.length === 2, 'the second attempt')
    const second = await until(async () => { const [d] = await log(brand, endpointId); return d?.attempts === 2 && d }, 'the second attempt logged')
    expect(second.nextAttemptAt - clock.now()).toBeGreaterThanOrEqual(27_000)
    clock.advance(33_001)
    await until(() => hooks.received.length === 3, 'the third attempt')
    const done = await until(async () => { const [d] = await log(brand, endpointId); return d?.status === 'delivered' && d }, 'delivered')
    expect(done).toMatchObject({ attempts: 3, lastStatus: 200, nextAttemptAt: null, deliveredAt: clock.now() })
    expect(new Set(hooks.received.map((w) => w.headers['webhook-id'])).size).toBe(1)
    expect(new Set(hooks.received.map((w) => w.body)).size).toBe(1)
  })

  it('gives a delivery up as failed once the next try would fall past a day', async () => {
    const hooks = await receiver(() => 503)
    const brand = await createTestBrand(relay)
    const { endpointId } = await endpoint(brand, hooks.url, ['conversation.opened'])
    const start = clock.now()
    await ping(brand, endpointId)
    let d = await until(async () => { const [x] = await log(brand, endpointId); return x?.attempts === 1 && x }, 'the first attempt')
    while (d.status === 'pending') {
      const attempts = d.attempts
      clock.set(d.nextAttemptAt)
      d = await until(async () => { const [x] = await log(brand, endpointId); return x?.attempts === attempts + 1 && x }, `attempt ${attempts + 1}`)
    }
    expect(d).toMatchObject({ status: 'failed', lastStatus: 503, nextAttemptAt: null })
    expect(clock.now() - start).toBeLessThanOrEqual(24 * 3600_000)
    expect(clock.now() - start).toBeGreaterThan(15 * 3600_000)
    expect(hooks.received).toHaveLength(d.attempts)
  })

  it('signs with the old and the new secret after a rotation, then with the new one alone once the grace ends', async () => {
    const hooks = await receiver()
    const brand = await createTestBrand(relay)
    const { endpointId, secret: old } = await endpoint(brand, hooks.url, ['message.created'])
    const rotated = await callRest(relay, { method: 'POST', url: `/v1/webhooks/${endpointId}/rotate-secret`, token: brand.apiKey, body: { graceSeconds: 3600 } })
    expect(rotated.status, rotated.raw).toBe(201)
    const fresh: string = rotated.body.secret
    expect(fresh).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/)
    expect(rotated.body.endpoint.previousSecretExpiresAt).toBe(clock.now() + 3600_000)
    await ping(brand, endpointId)
    await until(() => hooks.received.length === 1, 'the ping')
    expect(String(hooks.received[0]!.headers['webhook-signature']).split(' ')).toHaveLength(2)
    expect([signaturesBy(old, hooks.received[0]!), signaturesBy(fresh, hooks.received[0]!)]).toEqual([1, 1])
    clock.advance(3600_000)
    await ping(brand, endpointId)
    await until(() => hooks.received.length === 2, 'the second ping')
    expect(String(hooks.received[1]!.headers['webhook-signature']).split(' ')).toHaveLength(1)
    expect([signaturesBy(old, hooks.received[1]!), signaturesBy(fresh, hooks.received[1]!)]).toEqual([0, 1])
  })

  it('replays a delivery as a new one with the same webhook-id and body', async () => {
    const hooks = await receiver()
    const brand = await createTestBrand(relay)
    const { endpointId } = await endpoint(brand, hooks.url, ['message.created'])
    await ping(brand, endpointId)
    const [first] = await until(async () => { const ds = await log(brand, endpointId); return ds[0]?.status === 'delivered' && ds }, 'the ping delivered')
    const replay = await callRest(relay, { method: 'POST', url: `/v1/webhooks/deliveries/${first.deliveryId}/replay`, token: brand.apiKey })
    expect(replay.status, replay.raw).toBe(201)
    expect(replay.body).toMatchObject({ endpointId, eventId: first.eventId, type: 'webhook.test', status: 'pending', attempts: 0 })
    expect(replay.body.deliveryId).not.toBe(first.deliveryId)
    await until(() => hooks.received.length === 2, 'the replay')
    expect(hooks.received[1]!.headers['webhook-id']).toBe(hooks.received[0]!.headers['webhook-id'])
    expect(hooks.received[1]!.body).toBe(hooks.received[0]!.body)
    expect((await log(brand, endpointId)).map((d: { deliveryId: string }) => d.deliveryId)).toEqual([replay.body.deliveryId, first.deliveryId])
  })
})

describe('webhook log lines', () => {
  it('name the endpoint, delivery, attempt and status, never the body, URL or secret', async () => {
    const lines: string[] = []
    const relay = await startRelay({ relay: { allowPrivateWebhookUrls: true, webhooks: { pollMs: 10 } }, logStream: { write: (l) => { lines.push(l) } }, logLevel: 'info' })
    onTestFinished(() => relay.close())
    const hooks = await startWebhookReceiver((n) => (n === 0 ? 500 : 204))
    onTestFinished(() => hooks.close())
    const brand = await createTestBrand(relay)
    const created = await callRest(relay, { method: 'POST', url: '/v1/webhooks', token: brand.apiKey, body: { url: `${hooks.url}?token=hook-token-77`, events: ['message.created'] } })
    const v = await connectVisitor(relay, brand)
    await sendAndAck(v.client, 'conv-log', 'm1', 'my parcel number is PX-99812')
    await until(() => lines.some((l) => l.includes('webhook attempt failed; will retry')), 'the failed attempt logged')
    const logged = lines.filter((l) => l.includes('webhook'))
    expect(logged.some((l) => l.includes(created.body.endpoint.endpointId) && l.includes('"status":500') && l.includes('"attempt":1'))).toBe(true)
    const all = lines.join('\n')
    for (const s of ['PX-99812', 'hook-token-77', created.body.secret.slice(6), hooks.url]) expect(all).not.toContain(s)
  })
})
