import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Participant } from '@parley/sdk/contract'
import type { AppendRequest, AppendResult, AttachmentRecord, Store } from '../../../../server/src/store/store.js'
import { STORES, type OpenedStore } from '../../../helpers/stores.js'
import { createStoreBrand } from '../../../helpers/brand.js'

// The attachment records of the store: created unsent by an upload, bound to the message that sends
// them in the append's transaction (only the uploader's own, only once), carried by the stored
// message and its resends, given a thumbnail only while unsent, swept and deleted only while unsent.

const id = (prefix: string) => `${prefix}${randomBytes(8).toString('hex')}`
// Times of the uploads every test but the sweep's makes: after the sweep's cut-offs.
const LATER = 1_000_000

describe.each(STORES)('$name store: attachments', (factory) => {
  let opened: OpenedStore
  let store: Store
  beforeAll(async () => { opened = await factory.create(); store = opened.store })
  afterAll(async () => { await opened.dispose() })

  /** A brand with a visitor's open conversation, and an agent who joined it. */
  async function conversation() {
    const brandId = await createStoreBrand(store)
    const agentId = id('a_')
    await store.createAgent({ brandId, agentId, email: `${agentId}@agents.example`, name: 'Dana', passwordHash: 'x', createdAt: 1 })
    const v: Participant = { kind: 'visitor', id: id('v_') }
    const agent: Participant = { kind: 'agent', id: agentId, name: 'Dana' }
    const convId = id('c_')
    expect((await append({ brandId, convId, clientMsgId: 'm0', from: v, text: 'hi', at: 2000, context: null })).ok).toBe(true)
    await store.joinConversation(brandId, convId, agentId, 2001)
    return { brandId, convId, v, agent }
  }

  /** An unsent upload by `who`. */
  async function upload(brandId: string, who: Participant, over: Partial<AttachmentRecord> = {}): Promise<AttachmentRecord> {
    const rec: AttachmentRecord = {
      brandId, attachmentId: id('att_'), uploader: `${who.kind}:${who.id}`, name: 'photo.png', type: 'image/png', size: 2048,
      width: 640, height: 480, blobKey: id('blob_'), thumbKey: null, createdAt: LATER, convId: null, seq: null, ...over,
    }
    await store.createAttachment(rec)
    return rec
  }

  async function append(req: AppendRequest): Promise<AppendResult> {
    const [r] = await store.appendMessages([req])
    return r!
  }

  const send = (c: { brandId: string; convId: string }, from: Participant, clientMsgId: string, attachmentIds: string[]): AppendRequest => ({
    brandId: c.brandId, convId: c.convId, clientMsgId, from, text: 'see attached', at: 3000, context: null, attachmentIds,
  })

  it('reads back an upload as created, unsent; another brand finds nothing', async () => {
    const c = await conversation()
    const rec = await upload(c.brandId, c.v)
    expect(await store.getAttachment(c.brandId, rec.attachmentId)).toEqual(rec)
    expect(await store.getAttachment(id('b_'), rec.attachmentId)).toBeNull()
    expect(await store.getAttachment(c.brandId, id('att_'))).toBeNull()
  })

  it('binds uploads to the message that sends them, in order, and shows them on reads and resends', async () => {
    const c = await conversation()
    const a = await upload(c.brandId, c.v)
    const b = await upload(c.brandId, c.v, { name: 'invoice.pdf', type: 'application/pdf', width: null, height: null })
    const r = await append(send(c, c.v, 'm1', [b.attachmentId, a.attachmentId]))
    const refs = [
      { attachmentId: b.attachmentId, name: 'invoice.pdf', type: 'application/pdf', size: 2048, thumbnail: false },
      { attachmentId: a.attachmentId, name: 'photo.png', type: 'image/png', size: 2048, thumbnail: false, width: 640, height: 480 },
    ]
    expect(r).toMatchObject({ ok: true, duplicate: false, message: { seq: 2, attachments: refs } })
    expect(await store.getAttachment(c.brandId, a.attachmentId)).toMatchObject({ convId: c.convId, seq: 2 })
    expect((await store.readMessages(c.brandId, c.convId, 0, 10)).map((m) => m.attachments)).toEqual([undefined, refs])
    expect(await append(send(c, c.v, 'm1', [b.attachmentId, a.attachmentId]))).toMatchObject({ ok: true, duplicate: true, message: { seq: 2, attachments: refs } })
  })

  it('refuses an upload sent before with ATTACHMENT_IN_USE, in a later message or later in the same batch', async () => {
    const c = await conversation()
    const a = await upload(c.brandId, c.agent)
    expect((await append(send(c, c.agent, 'r1', [a.attachmentId]))).ok).toBe(true)
    expect(await append(send(c, c.agent, 'r2', [a.attachmentId]))).toEqual({ ok: false, code: 'PARLEY_ERR_ATTACHMENT_IN_USE' })
    const b = await upload(c.brandId, c.agent)
    const results = await store.appendMessages([send(c, c.agent, 'r3', [b.attachmentId]), send(c, c.agent, 'r4', [b.attachmentId])])
    expect(results.map((x) => (x.ok ? x.message.seq : x.code))).toEqual([3, 'PARLEY_ERR_ATTACHMENT_IN_USE'])
    expect(await store.getAttachment(c.brandId, b.attachmentId)).toMatchObject({ convId: c.convId, seq: 3 })
  })

  it("refuses another sender's, another brand's or an unknown upload as not found, and stores nothing of the message", async () => {
    const c = await conversation()
    const other = await conversation()
    const visitors = await upload(c.brandId, c.v)
    const elsewhere = await upload(other.brandId, c.agent)
    for (const ids of [[visitors.attachmentId], [elsewhere.attachmentId], [id('att_')]]) {
      expect(await append(send(c, c.agent, id('r'), ids))).toEqual({ ok: false, code: 'PARLEY_ERR_ATTACHMENT_NOT_FOUND' })
    }
    // One bad id refuses the whole message: the good one stays unsent.
    const mine = await upload(c.brandId, c.agent)
    expect(await append(send(c, c.agent, 'r1', [mine.attachmentId, visitors.attachmentId]))).toEqual({ ok: false, code: 'PARLEY_ERR_ATTACHMENT_NOT_FOUND' })
    expect(await store.getAttachment(c.brandId, mine.attachmentId)).toMatchObject({ convId: null, seq: null })
    expect((await store.getConversation(c.brandId, c.convId))?.lastSeq).toBe(1)
  })

  it('sets a thumbnail only while unsent, answering the key it replaces', async () => {
    const c = await conversation()
    const a = await upload(c.brandId, c.v)
    expect(await store.setAttachmentThumbnail(c.brandId, a.attachmentId, 'thumb-1', 160, 120)).toEqual({ previous: null })
    expect(await store.setAttachmentThumbnail(c.brandId, a.attachmentId, 'thumb-2', 160, 120)).toEqual({ previous: 'thumb-1' })
    expect(await store.setAttachmentThumbnail(id('b_'), a.attachmentId, 'thumb-x', 160, 120)).toBeNull()
    expect(await store.setAttachmentThumbnail(c.brandId, id('att_'), 'thumb-x', 160, 120)).toBeNull()
    const r = await append(send(c, c.v, 'm1', [a.attachmentId]))
    expect(r).toMatchObject({ ok: true, message: { attachments: [{ attachmentId: a.attachmentId, thumbnail: true }] } })
    expect(await store.setAttachmentThumbnail(c.brandId, a.attachmentId, 'thumb-3', 160, 120)).toBeNull()
    expect((await store.getAttachment(c.brandId, a.attachmentId))?.thumbKey).toBe('thumb-2')
  })

  it('lists unsent uploads of every brand created at or before a time, oldest first, at most the limit', async () => {
    const [c, d] = [await conversation(), await conversation()]
    const old1 = await upload(c.brandId, c.v, { createdAt: 10 })
    const old2 = await upload(d.brandId, d.v, { createdAt: 20 })
    const sent = await upload(c.brandId, c.v, { createdAt: 15 })
    await upload(c.brandId, c.v, { createdAt: 30 })
    expect((await append(send(c, c.v, 'm1', [sent.attachmentId]))).ok).toBe(true)
    expect((await store.listUnsentAttachments(20, 10)).map((a) => a.attachmentId)).toEqual([old1.attachmentId, old2.attachmentId])
    expect(await store.listUnsentAttachments(20, 1)).toEqual([old1])
    expect(await store.listUnsentAttachments(9, 10)).toEqual([])
  })

  it('deletes an unsent upload and keeps one a message carries', async () => {
    const c = await conversation()
    const unsent = await upload(c.brandId, c.v)
    const sent = await upload(c.brandId, c.v)
    await append(send(c, c.v, 'm1', [sent.attachmentId]))
    await store.deleteAttachment(c.brandId, unsent.attachmentId)
    await store.deleteAttachment(c.brandId, sent.attachmentId)
    expect(await store.getAttachment(c.brandId, unsent.attachmentId)).toBeNull()
    expect(await store.getAttachment(c.brandId, sent.attachmentId)).toMatchObject({ convId: c.convId, seq: 2 })
    expect((await store.readMessages(c.brandId, c.convId, 1, 10))[0]?.attachments).toHaveLength(1)
  })

  it("does not delete another brand's upload", async () => {
    const c = await conversation()
    const a = await upload(c.brandId, c.v)
    await store.deleteAttachment(id('b_'), a.attachmentId)
    expect(await store.getAttachment(c.brandId, a.attachmentId)).toEqual(a)
  })
})
