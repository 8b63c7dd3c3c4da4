import { describe, expect, it } from 'vitest'
import { NotFoundError } from '@parley/sdk'
import { sdkRelay, rejection } from '../helpers/sdk-relay.js'
import { createTestBrand } from '../helpers/brand.js'
import { connectVisitor, frameOf } from '../helpers/delivery-chat.js'
import { upload } from '../helpers/attachments.js'
import { PDF, pngOf } from '../helpers/attachment-files.js'
import { Parley } from '@parley/sdk'

// parley.attachments.get: a brand script downloads the files of its chats with the API key.

describe('parley.attachments', () => {
  const s = sdkRelay()

  it('downloads a file a visitor sent, named as stored, with its thumbnail; the refs come with the messages', async () => {
    const v = await connectVisitor(s.relay, s.brand)
    const file = (await upload(s.relay, v.token, PDF, { type: 'application/pdf', name: 'Facture été.pdf' })).body
    const png = pngOf(30, 20)
    const image = (await upload(s.relay, v.token, png, { type: 'image/png', name: 'shot.png' })).body
    const thumb = pngOf(3, 2)
    await upload(s.relay, v.token, thumb, { type: 'image/png', thumbnailOf: image.attachmentId })
    v.client.send({ type: 'message.send', convId: 'conv-sdk-files', clientMsgId: 'm1', text: 'my invoice', attachments: [file.attachmentId, image.attachmentId] })
    await frameOf(v.client, 'message.ack', (f) => f.clientMsgId === 'm1')

    const messages = await s.parley.conversations.messages('conv-sdk-files').toArray()
    expect(messages[0]!.attachments!.map((a) => [a.name, a.thumbnail])).toEqual([['Facture été.pdf', false], ['shot.png', true]])
    const got = await s.parley.attachments.get(file.attachmentId)
    expect(got.name).toBe('Facture été.pdf')
    expect(got.type).toBe('application/pdf')
    expect(Buffer.from(got.bytes).equals(PDF)).toBe(true)
    const small = await s.parley.attachments.get(image.attachmentId, { thumbnail: true })
    expect(small.type).toBe('image/png')
    expect(Buffer.from(small.bytes).equals(thumb)).toBe(true)
  })

  it('rejects another brand\'s file as not found', async () => {
    const v = await connectVisitor(s.relay, s.brand)
    const file = (await upload(s.relay, v.token, PDF, { type: 'application/pdf', name: 'x.pdf' })).body
    const other = await createTestBrand(s.relay)
    const theirs = new Parley({ relay: s.relay.url, apiKey: other.apiKey })
    const err = await rejection(theirs.attachments.get(file.attachmentId))
    expect(err).toBeInstanceOf(NotFoundError)
    expect(err.code).toBe('PARLEY_ERR_ATTACHMENT_NOT_FOUND')
  })
  it('refuses a download with a typed error when the given fetch answers without arrayBuffer', async () => {
    const v = await connectVisitor(s.relay, s.brand)
    const file = (await upload(s.relay, v.token, PDF, { type: 'application/pdf', name: 'x.pdf' })).body
    // A fetch whose responses read only as text (an old polyfill): the bytes cannot be had.
    const textOnly = async (url: string, init: object) => {
      const res = await fetch(url, init as RequestInit)
      return { status: res.status, headers: res.headers, text: () => res.text() }
    }
    const sdk = new Parley({ relay: s.relay.url, apiKey: s.brand.apiKey, fetch: textOnly, maxRetries: 0 })
    const err = await rejection(sdk.attachments.get(file.attachmentId))
    expect(err.code).toBe('PARLEY_ERR_REQUEST_INVALID')
    expect(err.retryable).toBe(false)
    expect(err.message).toMatch(/arrayBuffer/)
  })
})
