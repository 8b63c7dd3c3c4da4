import { randomBytes } from 'node:crypto'
import { expect, it } from 'vitest'
import type { Participant } from '@parley/sdk/contract'
import type { AppendRequest, AttachmentRecord } from '../../../server/src/store/store.js'
import { describeWithPostgres, usePostgresStores } from '../../helpers/postgres.js'

// Files sent with appends on PostgreSQL: the group commit locks the uploads a batch names (FOR
// UPDATE) before the attachment policy decides, so two nodes sending the same upload in two
// messages at once bind it once and refuse the other message with ATTACHMENT_IN_USE.

const id = (prefix: string) => `${prefix}${randomBytes(6).toString('hex')}`

describeWithPostgres('PostgreSQL appendMessages with attachments', () => {
  const { nodes } = usePostgresStores({ nodes: 2 })

  async function conversation() {
    const brandId = id('b_')
    await nodes[0]!.createBrand({ brandId, name: 'Brand', siteKey: id('site_'), allowedOrigins: [], apiKeyHash: id('hash_'), createdAt: 1 })
    const v: Participant = { kind: 'visitor', id: id('v_') }
    const convId = id('c_')
    expect(await nodes[0]!.appendMessages([{ brandId, convId, clientMsgId: 'm0', from: v, text: 'hi', at: 2000, context: null }])).toMatchObject([{ ok: true }])
    return { brandId, convId, v }
  }

  async function upload(brandId: string, who: Participant): Promise<AttachmentRecord> {
    const rec: AttachmentRecord = {
      brandId, attachmentId: id('att_'), uploader: `${who.kind}:${who.id}`, name: 'photo.png', type: 'image/png', size: 2048,
      width: 640, height: 480, blobKey: id('blob_'), thumbKey: null, createdAt: 1, convId: null, seq: null,
    }
    await nodes[0]!.createAttachment(rec)
    return rec
  }

  const send = (c: { brandId: string; convId: string; v: Participant }, clientMsgId: string, attachmentIds: string[]): AppendRequest => ({
    brandId: c.brandId, convId: c.convId, clientMsgId, from: c.v, text: 'see attached', at: 3000, context: null, attachmentIds,
  })

  it('binds an upload two nodes send in two messages at once to one of them, and refuses the other as in use', async () => {
    // Two conversations of the same visitor: the batches lock different conversations, so only the
    // upload's own lock orders them.
    const c = await conversation()
    const d = { ...c, convId: id('c_') }
    expect(await nodes[0]!.appendMessages([{ ...send(d, 'd0', []), text: 'hi' }])).toMatchObject([{ ok: true }])
    const files = await Promise.all(Array.from({ length: 20 }, () => upload(c.brandId, c.v)))
    const answers = await Promise.all(files.flatMap((f, i) => [
      nodes[0]!.appendMessages([send(c, `a${i}`, [f.attachmentId])]),
      nodes[1]!.appendMessages([send(d, `b${i}`, [f.attachmentId])]),
    ]))
    for (let i = 0; i < files.length; i++) {
      const pair = [answers[2 * i]![0]!, answers[2 * i + 1]![0]!]
      expect(pair.filter((r) => r.ok).length).toBe(1)
      expect(pair.filter((r) => !r.ok && r.code === 'PARLEY_ERR_ATTACHMENT_IN_USE').length).toBe(1)
      const sent = pair.find((r) => r.ok)
      const stored = await nodes[1]!.getAttachment(c.brandId, files[i]!.attachmentId)
      expect({ convId: stored?.convId, seq: stored?.seq }).toEqual({ convId: sent?.ok && sent.message.convId, seq: sent?.ok && sent.message.seq })
    }
    const read = [...await nodes[1]!.readMessages(c.brandId, c.convId, 0, 100), ...await nodes[1]!.readMessages(d.brandId, d.convId, 0, 100)]
    expect(read.filter((m) => m.attachments?.length === 1)).toHaveLength(files.length)
  })

  it('refuses a message naming one upload twice as in use and stores the rest of its batch', async () => {
    const c = await conversation()
    const f = await upload(c.brandId, c.v)
    const results = await nodes[0]!.appendMessages([send(c, 'twice', [f.attachmentId, f.attachmentId]), send(c, 'plain', [])])
    expect(results).toMatchObject([{ ok: false, code: 'PARLEY_ERR_ATTACHMENT_IN_USE' }, { ok: true, message: { seq: 2 } }])
    expect((await nodes[0]!.getAttachment(c.brandId, f.attachmentId))?.convId).toBeNull()
  })
})
