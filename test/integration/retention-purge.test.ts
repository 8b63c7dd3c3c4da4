import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand, type TestBrand } from '../helpers/brand.js'
import { connectAgent, connectVisitor, frameOf, openAndJoin } from '../helpers/delivery-chat.js'
import { callRest } from '../helpers/rest.js'
import { createFakeClock } from '../helpers/fake-clock.js'
import { until } from '../helpers/until.js'
import { upload } from '../helpers/attachments.js'
import { pngOf } from '../helpers/attachment-files.js'

// The relay purges by itself: a brand with transcriptRetentionDays 30 set over REST, a chat with a
// file closed 31 days ago (by the fake clock) becomes a stub on the next sweep: REST shows erasedAt
// and no messages, the file is gone from the blob store, the agents' consoles get conversation.erased,
// retention.purge has the counts. A chat
// closed 29 days ago and another brand's chat stay.

const DAY = 24 * 60 * 60 * 1000

describe('the relay\'s retention purge', () => {
  const clock = createFakeClock(Date.UTC(2026, 0, 1))
  let relay: TestRelay
  let brand: TestBrand
  let other: TestBrand
  beforeAll(async () => {
    relay = await startRelay({ clock, relay: { retentionPurge: { everyMs: 20 } } })
    brand = await createTestBrand(relay)
    other = await createTestBrand(relay)
  })
  afterAll(async () => { await relay.close() })

  /** A chat between a new visitor of `b` and an agent, with one file, closed by the agent now (fake time). */
  async function closedChat(b: TestBrand, convId: string): Promise<{ blobKey: string; agent: Awaited<ReturnType<typeof connectAgent>>['client'] }> {
    const agent = await createTestAgent(relay, b.brandId)
    const a = await connectAgent(relay, agent)
    const v = await connectVisitor(relay, b)
    await openAndJoin(v.client, a.client, convId)
    const file = (await upload(relay, v.token, pngOf(4, 4), { type: 'image/png', name: 'receipt.png' })).body.attachmentId as string
    v.client.send({ type: 'message.send', convId, clientMsgId: `${convId}-file`, text: 'my receipt', attachments: [file] })
    await frameOf(v.client, 'message.ack', (f) => f.clientMsgId === `${convId}-file`)
    a.client.send({ type: 'conversation.close', convId, ref: `${convId}-close` })
    await frameOf(a.client, 'conversation.closed', (f) => f.convId === convId)
    return { blobKey: (await relay.deps.store.getAttachment(b.brandId, file))!.blobKey, agent: a.client }
  }

  it('erases a chat closed past the brand\'s period to a stub, its file too, and keeps newer and other brands\' chats', async () => {
    const saved = await callRest(relay, { method: 'PUT', url: '/v1/privacy', token: brand.apiKey, body: { transcriptRetentionDays: 30 } })
    expect(saved.status, saved.raw).toBe(200)
    const old = await closedChat(brand, 'conv-retention-old')
    const otherBrands = await closedChat(other, 'conv-retention-other')
    clock.advance(2 * DAY)
    await closedChat(brand, 'conv-retention-new')
    expect(await relay.deps.blobs!.head(old.blobKey)).not.toBeNull()

    clock.advance(29 * DAY)
    const purge = await until(async () => (await relay.deps.store.listAudit(brand.brandId, { action: 'retention.purge', limit: 5 }))[0], 'retention.purge entry')
    expect(purge).toMatchObject({ actor: { kind: 'system', id: null }, detail: { conversations: 1, attachments: 1 } })
    expect(purge.detail.messages).toBeGreaterThanOrEqual(2)
    // The brand's consoles hear of the stub; another brand's do not.
    expect(await frameOf(old.agent, 'conversation.erased', (f) => f.convId === 'conv-retention-old')).toMatchObject({ erasedAt: expect.any(Number) })
    expect(otherBrands.agent.all('conversation.erased')).toEqual([])

    const header = await callRest(relay, { url: '/v1/conversations/conv-retention-old', token: brand.apiKey })
    expect(header.body).toMatchObject({ convId: 'conv-retention-old', status: 'closed', erasedAt: expect.any(Number) })
    expect((await callRest(relay, { url: '/v1/conversations/conv-retention-old/messages', token: brand.apiKey })).body.messages).toEqual([])
    expect(await relay.deps.blobs!.head(old.blobKey)).toBeNull()

    const kept = await callRest(relay, { url: '/v1/conversations/conv-retention-new/messages', token: brand.apiKey })
    expect(kept.body.messages.length).toBeGreaterThanOrEqual(2)
    expect((await callRest(relay, { url: '/v1/conversations/conv-retention-new', token: brand.apiKey })).body.erasedAt).toBeUndefined()
    expect((await callRest(relay, { url: '/v1/conversations/conv-retention-other/messages', token: other.apiKey })).body.messages.length).toBeGreaterThanOrEqual(2)
    expect(await relay.deps.blobs!.head(otherBrands.blobKey)).not.toBeNull()
    expect(await relay.deps.store.listAudit(other.brandId, { action: 'retention.purge', limit: 5 })).toEqual([])
  })
})
