import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRelayWithAgent, type TestRelay } from '../helpers/start-relay.js'
import type { TestAgent, TestBrand } from '../helpers/brand.js'
import { connectAgent, connectVisitor, frameOf } from '../helpers/delivery-chat.js'
import { upload } from '../helpers/attachments.js'
import { callRest } from '../helpers/rest.js'
import { PDF, pngOf } from '../helpers/attachment-files.js'

// A first message holding only files: the agents' queue, conversation.opened and
// conversation.previewed name the files, so the console never shows the chat as one without a
// message ("Pre-chat form answered").

describe('the preview of a file-only first message', () => {
  let relay: TestRelay
  let brand: TestBrand
  let agent: TestAgent
  beforeAll(async () => { ({ relay, brand, agent } = await startRelayWithAgent()) })
  afterAll(async () => { await relay.close() })

  it('names the files in conversation.opened, the queue entry and the conversation list', async () => {
    const a = await connectAgent(relay, agent)
    const v = await connectVisitor(relay, brand)
    const png = await upload(relay, v.token, pngOf(12, 8), { type: 'image/png', name: 'photo.png' })
    const pdf = await upload(relay, v.token, PDF, { type: 'application/pdf', name: 'terms.pdf' })
    v.client.send({ type: 'message.send', convId: 'fp-1', clientMsgId: 'm1', text: '', attachments: [png.body.attachmentId, pdf.body.attachmentId] })
    await frameOf(v.client, 'message.ack', (f) => f.clientMsgId === 'm1')
    expect(await frameOf(a.client, 'conversation.opened', (f) => f.convId === 'fp-1')).toMatchObject({ preview: '📎 photo.png, terms.pdf' })
    a.client.send({ type: 'queue.list', ref: 'q' })
    const queue = await frameOf(a.client, 'queue.listed', (f) => f.ref === 'q')
    expect(queue.conversations.find((c) => c.convId === 'fp-1')?.preview).toBe('📎 photo.png, terms.pdf')
    // The conversation list (REST) says the same.
    const listed = await callRest(relay, { url: '/v1/conversations', token: brand.apiKey })
    expect((listed.body.conversations as { convId: string; preview: string }[]).find((c) => c.convId === 'fp-1')?.preview).toBe('📎 photo.png, terms.pdf')
  })

  it('names the files in conversation.previewed after an open without a message', async () => {
    const a = await connectAgent(relay, agent)
    const v = await connectVisitor(relay, brand)
    v.client.send({ type: 'conversation.open', convId: 'fp-2', clientMsgId: 'o1' })
    await frameOf(v.client, 'conversation.started', (f) => f.convId === 'fp-2')
    const png = await upload(relay, v.token, pngOf(4, 4), { type: 'image/png', name: 'screen.png' })
    v.client.send({ type: 'message.send', convId: 'fp-2', clientMsgId: 'm1', text: ' ', attachments: [png.body.attachmentId] })
    await frameOf(v.client, 'message.ack', (f) => f.clientMsgId === 'm1')
    expect(await frameOf(a.client, 'conversation.previewed', (f) => f.convId === 'fp-2')).toMatchObject({ preview: '📎 screen.png' })
  })
})
