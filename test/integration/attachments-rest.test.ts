import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_ATTACHMENT_MAX_BYTES } from '@parley/sdk/contract'
import { startRelay, startRelayWithAgent, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand, type TestAgent, type TestBrand } from '../helpers/brand.js'
import { connectVisitor, frameOf, type VisitorTab } from '../helpers/delivery-chat.js'
import { callRest } from '../helpers/rest.js'
import { expectErrorStatusAndBody } from '../helpers/expect-error.js'
import { download, upload } from '../helpers/attachments.js'
import { GIF, HTML, PDF, pngOf } from '../helpers/attachment-files.js'

// POST /v1/attachments and GET /v1/attachments/:id over real HTTP: every refusal stores nothing,
// a retry with the same Idempotency-Key gets the same file, and downloads go out with the headers
// that keep a browser from running or sniffing them.

/** Files under the relay's attachment directory (temp files included). */
function storedFiles(relay: TestRelay): string[] {
  const root = join(relay.dataDir, 'attachments')
  const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]))
  return walk(root)
}

describe('attachments over REST', () => {
  let relay: TestRelay
  let brand: TestBrand
  let agent: TestAgent
  let visitor: VisitorTab
  beforeAll(async () => { ({ relay, brand, agent } = await startRelayWithAgent()) })
  afterAll(async () => { await relay.close() })

  it('stores a visitor\'s PNG with its size and dimensions, and gives it back to them with safe headers', async () => {
    visitor = await connectVisitor(relay, brand)
    const png = pngOf(40, 30)
    const res = await upload(relay, visitor.token, png, { type: 'image/png', name: 'Screenshot 1.png' })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    expect(res.body).toMatchObject({ name: 'Screenshot 1.png', type: 'image/png', size: png.length, width: 40, height: 30, thumbnail: false })
    expect(res.body.attachmentId).toMatch(/^att_/)
    expect(res.body.convId).toBeUndefined()

    const got = await download(relay, visitor.token, res.body.attachmentId)
    expect(got.status).toBe(200)
    expect(got.bytes.equals(png)).toBe(true)
    expect(got.headers.get('content-type')).toBe('image/png')
    expect(got.headers.get('content-disposition')).toBe(`attachment; filename="Screenshot 1.png"; filename*=UTF-8''Screenshot%201.png`)
    expect(got.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox")
    expect(got.headers.get('x-content-type-options')).toBe('nosniff')
    expect(got.headers.get('cross-origin-resource-policy')).toBe('same-site')
    expect(got.headers.get('cache-control')).toMatch(/^private/)
  })

  it('lets the widget on the brand\'s own site read a download cross-origin (CORS, not blocked by CORP)', async () => {
    const res = await upload(relay, visitor.token, PDF, { type: 'application/pdf', name: 'Invoice é.pdf' })
    const got = await download(relay, visitor.token, res.body.attachmentId, { origin: brand.origin })
    expect(got.status).toBe(200)
    expect(got.headers.get('access-control-allow-origin')).toBe(brand.origin)
    expect(got.headers.get('content-disposition')).toContain("filename*=UTF-8''Invoice%20%C3%A9.pdf")
    // The preflight of an upload allows the file name header.
    const pre = await fetch(`${relay.url}/v1/attachments`, {
      method: 'OPTIONS', headers: { origin: brand.origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,x-parley-file-name' },
    })
    expect(pre.status).toBe(204)
    expect(pre.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('x-parley-file-name')
  })

  it('stores and serves a hostile name without its bidi and invisible characters, ending in the checked type\'s extension', async () => {
    // Shown as "invoicelmth.pdf" with the override kept, and saved as .html.
    const res = await upload(relay, visitor.token, PDF, { type: 'application/pdf', name: 'invoice\u202Efdp.html' })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    expect(res.body.name).toBe('invoicefdp.html.pdf')
    const got = await download(relay, agent.token, res.body.attachmentId)
    expect(got.headers.get('content-disposition')).toBe(`attachment; filename="invoicefdp.html.pdf"; filename*=UTF-8''invoicefdp.html.pdf`)
    const png = await upload(relay, visitor.token, pngOf(2, 2), { type: 'image/png', name: 'pay\u200Bslip\u2066.jpg' })
    expect(png.body.name).toBe('payslip.png')
  })

  it('lets any agent of the brand and its API key download, and nobody of another brand or another visitor', async () => {
    const res = await upload(relay, visitor.token, GIF, { type: 'image/gif', name: 'a.gif' })
    const id = res.body.attachmentId as string
    expect((await download(relay, agent.token, id)).status).toBe(200)
    expect((await download(relay, brand.apiKey, id)).status).toBe(200)
    const other = await connectVisitor(relay, brand)
    const theirs = await download(relay, other.token, id)
    expectErrorStatusAndBody(theirs.status, theirs.body, 'PARLEY_ERR_ATTACHMENT_NOT_FOUND')
    const otherBrand = await createTestBrand(relay)
    const otherAgent = await createTestAgent(relay, otherBrand.brandId)
    for (const token of [otherAgent.token, otherBrand.apiKey]) {
      const r = await download(relay, token, id)
      expectErrorStatusAndBody(r.status, r.body, 'PARLEY_ERR_ATTACHMENT_NOT_FOUND')
    }
  })

  it('refuses a type the brand does not allow, content that is not the declared type, and a file over the limit', async () => {
    const before = storedFiles(relay).length
    const svg = await upload(relay, visitor.token, Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), { type: 'image/svg+xml', name: 'x.svg' })
    expectErrorStatusAndBody(svg.status, svg.body, 'PARLEY_ERR_ATTACHMENT_TYPE')
    const html = await upload(relay, visitor.token, HTML, { type: 'text/html', name: 'x.html' })
    expectErrorStatusAndBody(html.status, html.body, 'PARLEY_ERR_ATTACHMENT_TYPE')
    const lying = await upload(relay, visitor.token, HTML, { type: 'image/png', name: 'x.png' })
    expectErrorStatusAndBody(lying.status, lying.body, 'PARLEY_ERR_ATTACHMENT_CONTENT')
    const pdfAsPng = await upload(relay, visitor.token, PDF, { type: 'image/png', name: 'x.png' })
    expectErrorStatusAndBody(pdfAsPng.status, pdfAsPng.body, 'PARLEY_ERR_ATTACHMENT_CONTENT')
    const empty = await upload(relay, visitor.token, Buffer.alloc(0), { type: 'image/png', name: 'x.png' })
    expectErrorStatusAndBody(empty.status, empty.body, 'PARLEY_ERR_ATTACHMENT_CONTENT')
    const big = Buffer.concat([pngOf(2, 2), Buffer.alloc(DEFAULT_ATTACHMENT_MAX_BYTES)])
    const declared = await upload(relay, visitor.token, big, { type: 'image/png', name: 'big.png' })
    expectErrorStatusAndBody(declared.status, declared.body, 'PARLEY_ERR_ATTACHMENT_TOO_LARGE')
    // Without a Content-Length (chunked), the bytes are counted as they come.
    const chunks = new ReadableStream<Uint8Array>({
      start(c) { for (let i = 0; i < big.length; i += 1 << 20) c.enqueue(big.subarray(i, i + (1 << 20))); c.close() },
    })
    const streamed = await upload(relay, visitor.token, chunks, { type: 'image/png', name: 'big.png' })
    expectErrorStatusAndBody(streamed.status, streamed.body, 'PARLEY_ERR_ATTACHMENT_TOO_LARGE')
    const noName = await upload(relay, visitor.token, pngOf(1, 1), { type: 'image/png' })
    expectErrorStatusAndBody(noName.status, noName.body, 'PARLEY_ERR_REQUEST_INVALID')
    expect(storedFiles(relay).length).toBe(before)
  })

  it('follows the brand\'s settings: SVG when listed, a smaller limit, visitors switched off (agents still may)', async () => {
    const b = await createTestBrand(relay)
    const a = await createTestAgent(relay, b.brandId)
    const v = await connectVisitor(relay, b)
    const put = await callRest(relay, { method: 'PUT', url: '/v1/widget-config', token: b.apiKey, body: { attachments: { types: ['image/svg+xml', 'image/png'], maxBytes: 2048 } } })
    expect(put.status, put.raw).toBe(200)
    const svg = await upload(relay, v.token, Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>'), { type: 'image/svg+xml', name: 'logo.svg' })
    expect(svg.status, JSON.stringify(svg.body)).toBe(201)
    const pdf = await upload(relay, v.token, PDF, { type: 'application/pdf', name: 'x.pdf' })
    expectErrorStatusAndBody(pdf.status, pdf.body, 'PARLEY_ERR_ATTACHMENT_TYPE')
    const big = await upload(relay, v.token, Buffer.concat([pngOf(1, 1), Buffer.alloc(3000)]), { type: 'image/png', name: 'x.png' })
    expectErrorStatusAndBody(big.status, big.body, 'PARLEY_ERR_ATTACHMENT_TOO_LARGE')
    await callRest(relay, { method: 'PUT', url: '/v1/widget-config', token: b.apiKey, body: { attachments: { visitors: false } } })
    const off = await upload(relay, v.token, pngOf(1, 1), { type: 'image/png', name: 'x.png' })
    expectErrorStatusAndBody(off.status, off.body, 'PARLEY_ERR_ATTACHMENT_DISABLED')
    const byAgent = await upload(relay, a.token, pngOf(1, 1), { type: 'image/png', name: 'x.png' })
    expect(byAgent.status).toBe(201)
    // The API key cannot upload: files are sent by people in chats.
    const byKey = await upload(relay, b.apiKey, pngOf(1, 1), { type: 'image/png', name: 'x.png' })
    expectErrorStatusAndBody(byKey.status, byKey.body, 'PARLEY_ERR_AUTH_FORBIDDEN')
  })

  it('answers a retry with the same Idempotency-Key with the same attachment, storing one file', async () => {
    const before = storedFiles(relay).length
    const png = pngOf(5, 5)
    const first = await upload(relay, visitor.token, png, { type: 'image/png', name: 'retry.png', key: 'upload-1' })
    const again = await upload(relay, visitor.token, png, { type: 'image/png', name: 'retry.png', key: 'upload-1' })
    expect(first.status).toBe(201)
    expect(again.status).toBe(201)
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    expect(again.body).toEqual(first.body)
    expect(storedFiles(relay).length).toBe(before + 1)
  })

  it('takes a thumbnail from the uploader only, sniffed and at most 320 px a side', async () => {
    const file = await upload(relay, visitor.token, pngOf(800, 600), { type: 'image/png', name: 'photo.png' })
    const id = file.body.attachmentId as string
    const thumbPng = pngOf(320, 240)
    const other = await connectVisitor(relay, brand)
    const notTheirs = await upload(relay, other.token, thumbPng, { type: 'image/png', thumbnailOf: id })
    expectErrorStatusAndBody(notTheirs.status, notTheirs.body, 'PARLEY_ERR_ATTACHMENT_NOT_FOUND')
    const tooWide = await upload(relay, visitor.token, pngOf(321, 10), { type: 'image/png', thumbnailOf: id })
    expectErrorStatusAndBody(tooWide.status, tooWide.body, 'PARLEY_ERR_ATTACHMENT_CONTENT')
    const gif = await upload(relay, visitor.token, GIF, { type: 'image/gif', thumbnailOf: id })
    expectErrorStatusAndBody(gif.status, gif.body, 'PARLEY_ERR_ATTACHMENT_TYPE')
    const none = await download(relay, visitor.token, id, { thumbnail: true })
    expectErrorStatusAndBody(none.status, none.body, 'PARLEY_ERR_ATTACHMENT_NOT_FOUND')
    const ok = await upload(relay, visitor.token, thumbPng, { type: 'image/png', thumbnailOf: id })
    expect(ok.status, JSON.stringify(ok.body)).toBe(201)
    expect(ok.body).toMatchObject({ attachmentId: id, thumbnail: true, width: 800, height: 600 })
    const got = await download(relay, agent.token, id, { thumbnail: true })
    expect(got.status).toBe(200)
    expect(got.headers.get('content-type')).toBe('image/png')
    expect(got.bytes.equals(thumbPng)).toBe(true)
  })

  it('takes a thumbnail only for an image not yet sent, and deletes the one it replaces', async () => {
    const v = await connectVisitor(relay, brand)
    const pdf = await upload(relay, v.token, PDF, { type: 'application/pdf', name: 'doc.pdf' })
    const onPdf = await upload(relay, v.token, pngOf(4, 4), { type: 'image/png', thumbnailOf: pdf.body.attachmentId })
    expectErrorStatusAndBody(onPdf.status, onPdf.body, 'PARLEY_ERR_ATTACHMENT_TYPE')

    const id = (await upload(relay, v.token, pngOf(600, 400), { type: 'image/png', name: 'pic.png' })).body.attachmentId as string
    const thumbsOf = () => storedFiles(relay).filter((f) => f.includes(`${id}-`))
    expect((await upload(relay, v.token, pngOf(30, 20), { type: 'image/png', thumbnailOf: id })).status).toBe(201)
    expect(thumbsOf()).toHaveLength(1)
    // Replaced before sending: the first thumbnail's blob goes; a refused one leaves the second in place.
    const second = pngOf(60, 40)
    expect((await upload(relay, v.token, second, { type: 'image/png', thumbnailOf: id })).status).toBe(201)
    expect(thumbsOf()).toHaveLength(1)
    const tooBig = await upload(relay, v.token, pngOf(400, 10), { type: 'image/png', thumbnailOf: id })
    expectErrorStatusAndBody(tooBig.status, tooBig.body, 'PARLEY_ERR_ATTACHMENT_CONTENT')
    expect(thumbsOf()).toHaveLength(1)

    v.client.send({ type: 'message.send', convId: 'conv-thumb-sent', clientMsgId: 'm1', text: 'look', attachments: [id] })
    await frameOf(v.client, 'message.ack', (f) => f.clientMsgId === 'm1')
    // Sent: what agents see beside the message stays what was sent.
    const late = await upload(relay, v.token, pngOf(8, 8), { type: 'image/png', thumbnailOf: id })
    expectErrorStatusAndBody(late.status, late.body, 'PARLEY_ERR_ATTACHMENT_IN_USE')
    const shown = await download(relay, agent.token, id, { thumbnail: true })
    expect(shown.bytes.equals(second)).toBe(true)
    expect(thumbsOf()).toHaveLength(1)
  })

  it('limits each uploader to 30 uploads a minute, with Retry-After, others unaffected', async () => {
    const busy = await connectVisitor(relay, brand)
    const tiny = pngOf(1, 1)
    for (let i = 0; i < 30; i++) expect((await upload(relay, busy.token, tiny, { type: 'image/png', name: `${i}.png` })).status).toBe(201)
    const over = await upload(relay, busy.token, tiny, { type: 'image/png', name: 'over.png' })
    expectErrorStatusAndBody(over.status, over.body, 'PARLEY_ERR_LIMIT_RATE')
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0)
    const calm = await connectVisitor(relay, brand)
    expect((await upload(relay, calm.token, tiny, { type: 'image/png', name: 'calm.png' })).status).toBe(201)
  })

  it('logs ids, sizes and types of uploads and downloads, never the file name, its bytes or the token', async () => {
    const lines: string[] = []
    const logged = await startRelay({ logStream: { write: (line) => { lines.push(line) } } })
    try {
      const b = await createTestBrand(logged)
      const v = await connectVisitor(logged, b)
      const up = await upload(logged, v.token, PDF, { type: 'application/pdf', name: 'Zanzibar-secret-plan.pdf' })
      expect(up.status).toBe(201)
      expect((await download(logged, v.token, up.body.attachmentId)).status).toBe(200)
      await upload(logged, v.token, HTML, { type: 'image/png', name: 'Zanzibar-other.png' })
      const all = lines.join('')
      expect(all).toContain(up.body.attachmentId)
      for (const secret of ['Zanzibar', v.token, '%PDF-1.4', 'alert(1)']) expect(all, secret).not.toContain(secret)
    } finally {
      await logged.close()
    }
  })
})
