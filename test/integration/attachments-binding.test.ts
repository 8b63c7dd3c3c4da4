import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRelayWithAgent, type TestRelay } from '../helpers/start-relay.js'
import { createTestBrand, type TestAgent, type TestBrand } from '../helpers/brand.js'
import { connectAgent, connectVisitor, finishResume, frameOf, openAndJoin } from '../helpers/delivery-chat.js'
import { callRest } from '../helpers/rest.js'
import { expectErrorFrame } from '../helpers/expect-error.js'
import { download, upload } from '../helpers/attachments.js'
import { PDF, pngOf } from '../helpers/attachment-files.js'
import { TestClient } from '../helpers/ws-client.js'

// message.send with attachments: each id must be the sender's own unsent upload in the brand, and
// is bound to the message in its transaction; the refs travel in the ack, message.new, resume
// replay and the REST transcript; a resend gets the same; a refused message stores nothing.

const CARD = '4111111111111111'

describe('attachments bound to messages', () => {
  let relay: TestRelay
  let brand: TestBrand
  let agent: TestAgent
  beforeAll(async () => { ({ relay, brand, agent } = await startRelayWithAgent()) })
  afterAll(async () => { await relay.close() })

  const transcript = async (convId: string) => (await callRest(relay, { url: `/v1/conversations/${convId}/messages`, token: brand.apiKey })).body.messages as any[]

  it('carries a visitor\'s files without text in the ack, message.new, resume and transcript; the name masked; a resend gets the same', async () => {
    const a = await connectAgent(relay, agent)
    const v = await connectVisitor(relay, brand)
    await openAndJoin(v.client, a.client, 'conv-files')
    const png = await upload(relay, v.token, pngOf(12, 8), { type: 'image/png', name: `card ${CARD}.png` })
    const pdf = await upload(relay, v.token, PDF, { type: 'application/pdf', name: 'terms.pdf' })
    expect(png.body.name).toBe('card [card].png')
    const ids = [pdf.body.attachmentId, png.body.attachmentId]
    v.client.send({ type: 'message.send', convId: 'conv-files', clientMsgId: 'm-files', text: '', attachments: ids })
    const ack = await frameOf(v.client, 'message.ack', (f) => f.clientMsgId === 'm-files')
    expect(ack.attachments?.map((r) => r.attachmentId)).toEqual(ids)
    expect(ack.attachments?.[1]).toEqual({ attachmentId: ids[1], name: 'card [card].png', type: 'image/png', size: png.body.size, thumbnail: false, width: 12, height: 8 })
    const fanned = await frameOf(a.client, 'message.new', (f) => f.clientMsgId === 'm-files')
    expect(fanned.attachments).toEqual(ack.attachments)
    expect(fanned.text).toBe('')
    const stored = (await transcript('conv-files')).find((m) => m.clientMsgId === 'm-files')
    expect(stored.attachments).toEqual(ack.attachments)
    // The upload now names the conversation it was sent in.
    expect((await download(relay, v.token, ids[0])).status).toBe(200)

    v.client.send({ type: 'message.send', convId: 'conv-files', clientMsgId: 'm-files', text: '', attachments: ids })
    const again = await frameOf(v.client, 'message.ack', (f) => f.clientMsgId === 'm-files')
    expect(again.seq).toBe(ack.seq)
    expect(again.attachments).toEqual(ack.attachments)

    const resumed = await TestClient.agent(relay.wsUrl, agent.token, { resume: [{ convId: 'conv-files', afterSeq: 0 }] })
    await finishResume(resumed.client, 'conv-files')
    const replayed = resumed.client.all('message.new', (f) => f.clientMsgId === 'm-files')
    expect(replayed[0]?.attachments).toEqual(ack.attachments)
    resumed.client.close()
    // The visitor of the conversation may download it, as may a second tab of theirs; a new visitor may not.
    const other = await connectVisitor(relay, brand)
    expect((await download(relay, other.token, ids[1])).status).toBe(404)
  })

  it('refuses a file already sent, another sender\'s, an unknown one and another brand\'s, storing nothing', async () => {
    const a = await connectAgent(relay, agent)
    const v = await connectVisitor(relay, brand)
    await openAndJoin(v.client, a.client, 'conv-refused')
    const mine = (await upload(relay, v.token, pngOf(1, 1), { type: 'image/png', name: 'a.png' })).body.attachmentId as string
    const other = await connectVisitor(relay, brand)
    const theirs = (await upload(relay, other.token, pngOf(1, 1), { type: 'image/png', name: 'b.png' })).body.attachmentId as string
    const elsewhere = await createTestBrand(relay)
    const foreign = await connectVisitor(relay, elsewhere)
    const foreignId = (await upload(relay, foreign.token, pngOf(1, 1), { type: 'image/png', name: 'c.png' })).body.attachmentId as string

    const send = (clientMsgId: string, attachments: string[], text = 'see') => {
      v.client.send({ type: 'message.send', convId: 'conv-refused', clientMsgId, text, attachments })
    }
    send('m-ok', [mine])
    await frameOf(v.client, 'message.ack', (f) => f.clientMsgId === 'm-ok')
    send('m-in-use', [mine])
    expectErrorFrame(await frameOf(v.client, 'error', (f) => f.ref === 'm-in-use'), 'PARLEY_ERR_ATTACHMENT_IN_USE')
    for (const [ref, id] of [['m-theirs', theirs], ['m-unknown', 'att_nope'], ['m-foreign', foreignId]] as const) {
      send(ref, [id])
      expectErrorFrame(await frameOf(v.client, 'error', (f) => f.ref === ref), 'PARLEY_ERR_ATTACHMENT_NOT_FOUND')
    }
    // An agent cannot send the visitor's upload either.
    a.client.send({ type: 'message.send', convId: 'conv-refused', clientMsgId: 'a-theirs', text: 'x', attachments: [theirs] })
    expectErrorFrame(await frameOf(a.client, 'error', (f) => f.ref === 'a-theirs'), 'PARLEY_ERR_ATTACHMENT_NOT_FOUND')
    // A list with one good and one bad id stores neither the message nor the binding.
    const fresh = (await upload(relay, v.token, pngOf(1, 1), { type: 'image/png', name: 'd.png' })).body.attachmentId as string
    send('m-mixed', [fresh, theirs])
    expectErrorFrame(await frameOf(v.client, 'error', (f) => f.ref === 'm-mixed'), 'PARLEY_ERR_ATTACHMENT_NOT_FOUND')
    expect((await transcript('conv-refused')).map((m) => m.clientMsgId)).toEqual(['conv-refused-first', 'm-ok'])
    send('m-fresh', [fresh], '')
    const ack = await frameOf(v.client, 'message.ack', (f) => f.clientMsgId === 'm-fresh')
    expect(ack.attachments?.map((r) => r.attachmentId)).toEqual([fresh])
    // Text stays required without files.
    send('m-empty', [], '')
    expect((await frameOf(v.client, 'error', (f) => f.ref === 'm-empty')).code).toMatch(/^PARLEY_ERR_/)
  })

  it('lets an agent send their own upload to the visitor, who may then download it', async () => {
    const a = await connectAgent(relay, agent)
    const v = await connectVisitor(relay, brand)
    await openAndJoin(v.client, a.client, 'conv-agent-file')
    const id = (await upload(relay, agent.token, PDF, { type: 'application/pdf', name: 'guide.pdf' })).body.attachmentId as string
    expect((await download(relay, v.token, id)).status).toBe(404)
    a.client.send({ type: 'message.send', convId: 'conv-agent-file', clientMsgId: 'a-file', text: 'here', attachments: [id] })
    const got = await frameOf(v.client, 'message.new', (f) => f.clientMsgId === 'a-file')
    expect(got.attachments?.[0]?.name).toBe('guide.pdf')
    const file = await download(relay, v.token, id)
    expect(file.status).toBe(200)
    expect(file.bytes.equals(PDF)).toBe(true)
  })
})
