import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand, type TestBrand } from '../helpers/brand.js'
import { connectAgent, connectVisitor, frameOf, openAndJoin } from '../helpers/delivery-chat.js'
import { createFakeClock } from '../helpers/fake-clock.js'
import { upload } from '../helpers/attachments.js'
import { pngOf } from '../helpers/attachment-files.js'
import { sweepUnsentAttachments, UNSENT_TTL_MS } from '../../server/src/attachments/unsent-sweep.js'

// Uploads never sent are deleted, record and blobs, a day after they were made; sent ones stay.

describe('the sweep of unsent uploads', () => {
  const clock = createFakeClock()
  let relay: TestRelay
  let brand: TestBrand
  beforeAll(async () => {
    relay = await startRelay({ clock })
    brand = await createTestBrand(relay)
  })
  afterAll(async () => { await relay.close() })

  it('deletes an upload never sent after 24 h, with its thumbnail, and keeps one a message carries', async () => {
    const agent = await createTestAgent(relay, brand.brandId)
    const a = await connectAgent(relay, agent)
    const v = await connectVisitor(relay, brand)
    await openAndJoin(v.client, a.client, 'conv-sweep')
    const unsent = (await upload(relay, v.token, pngOf(4, 4), { type: 'image/png', name: 'left.png' })).body.attachmentId as string
    await upload(relay, v.token, pngOf(2, 2), { type: 'image/png', thumbnailOf: unsent })
    const sent = (await upload(relay, v.token, pngOf(4, 4), { type: 'image/png', name: 'sent.png' })).body.attachmentId as string
    v.client.send({ type: 'message.send', convId: 'conv-sweep', clientMsgId: 'm-sent', text: '', attachments: [sent] })
    await frameOf(v.client, 'message.ack', (f) => f.clientMsgId === 'm-sent')
    const { store, blobs } = relay.deps
    const rec = (await store.getAttachment(brand.brandId, unsent))!

    clock.advance(UNSENT_TTL_MS - 1000)
    expect(await sweepUnsentAttachments(relay.deps, blobs!)).toBe(0)
    clock.advance(2000)
    expect(await sweepUnsentAttachments(relay.deps, blobs!)).toBe(1)
    expect(await store.getAttachment(brand.brandId, unsent)).toBeNull()
    expect(await blobs!.head(rec.blobKey)).toBeNull()
    expect(await blobs!.head(rec.thumbKey!)).toBeNull()
    const kept = (await store.getAttachment(brand.brandId, sent))!
    expect(kept.convId).toBe('conv-sweep')
    expect(await blobs!.head(kept.blobKey)).not.toBeNull()
  })
})
