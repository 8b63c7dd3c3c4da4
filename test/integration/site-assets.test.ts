import { createHash } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestBrand, createTestAgent, type TestBrand } from '../helpers/brand.js'
import { callRest } from '../helpers/rest.js'
import { tempDir } from '../helpers/temp-dir.js'
import { startDemoSite } from '../../server/src/demo-site.js'

// What the relay serves to browsers: the public widget config, the bundles, the console page, and
// transcript search for the console.

let relay: TestRelay
let brand: TestBrand
const assets = tempDir('parley-assets-')
const LOADER = `console.log(${JSON.stringify('loader '.repeat(200))})`

beforeAll(async () => {
  mkdirSync(join(assets.dir, 'w'))
  mkdirSync(join(assets.dir, 'console'))
  writeFileSync(join(assets.dir, 'parley.js'), LOADER)
  writeFileSync(join(assets.dir, 'parley.js.gz'), gzipSync(LOADER))
  writeFileSync(join(assets.dir, 'parley.js.br'), brotliCompressSync(LOADER))
  writeFileSync(join(assets.dir, 'w', 'consumer.js'), 'export {}')
  writeFileSync(join(assets.dir, 'w', 'panel-ABCD1234.js'), 'export {}')
  writeFileSync(join(assets.dir, 'console', 'index.html'), '<!doctype html><title>Console</title>')
  writeFileSync(join(assets.dir, 'secret.txt'), 'do not serve')
  relay = await startRelay({ widgetDir: assets.dir })
  brand = await createTestBrand(relay)
})
afterAll(async () => {
  await relay.close()
  assets.remove()
})

describe('public widget config', () => {
  it('serves the brand name and defaults to any origin, cacheable, with an ETag that answers 304', async () => {
    const res = await callRest(relay, { url: `/v1/sites/${brand.siteKey}/config` })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ siteKey: brand.siteKey, brandName: 'Test brand', protocol: 1, widget: {} })
    expect(res.headers['access-control-allow-origin']).toBe('*')
    expect(res.headers['cache-control']).toMatch(/public, max-age=\d+/)
    const again = await callRest(relay, { url: `/v1/sites/${brand.siteKey}/config`, headers: { 'if-none-match': String(res.headers.etag) } })
    expect(again.status).toBe(304)
  })

  it("answers a page on an origin the brand doesn't allow with 403 PARLEY_ERR_TENANT_ORIGIN, varying on Origin", async () => {
    for (const origin of ['https://evil.example', `${brand.origin}.evil.example`, brand.origin.replace('https', 'http')]) {
      const res = await callRest(relay, { url: `/v1/sites/${brand.siteKey}/config`, headers: { origin } })
      expect(res.status, origin).toBe(403)
      expect(res.body.code).toBe('PARLEY_ERR_TENANT_ORIGIN')
      expect(res.headers['access-control-allow-origin']).toBe('*')
    }
    const ok = await callRest(relay, { url: `/v1/sites/${brand.siteKey}/config`, headers: { origin: brand.origin } })
    expect(ok.status).toBe(200)
    expect(String(ok.headers.vary)).toMatch(/\bOrigin\b/)
  })

  it('answers an unknown site key with 404 PARLEY_ERR_TENANT_SITE_KEY', async () => {
    const res = await callRest(relay, { url: '/v1/sites/nope/config' })
    expect(res.status).toBe(404)
    expect(res.body.code).toBe('PARLEY_ERR_TENANT_SITE_KEY')
  })

  it('takes a new config from the brand key only, validated, and serves it', async () => {
    const config = { color: '#123456', position: 'left', tracking: 'opt-in', texts: { en: { title: 'Ask us' } } }
    const agent = await createTestAgent(relay, brand.brandId)
    expect((await callRest(relay, { method: 'PUT', url: '/v1/widget-config', token: agent.token, body: config })).status).toBe(403)
    const bad = await callRest(relay, { method: 'PUT', url: '/v1/widget-config', token: brand.apiKey, body: { color: 'red' } })
    expect(bad.status).toBe(400)
    expect(bad.body.code).toBe('PARLEY_ERR_REQUEST_INVALID')
    expect((await callRest(relay, { method: 'PUT', url: '/v1/widget-config', token: brand.apiKey, body: config })).status).toBe(200)
    expect((await callRest(relay, { url: `/v1/sites/${brand.siteKey}/config` })).body.widget).toEqual(config)
  })
})

describe('browser bundles', () => {
  it('serves the loader to any origin with a short cache', async () => {
    const res = await callRest(relay, { url: '/parley.js' })
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toMatch(/^text\/javascript/)
    expect(res.headers['access-control-allow-origin']).toBe('*')
    expect(res.headers['cache-control']).toBe('public, max-age=300')
  })

  it.each([
    ['gzip, deflate, br, zstd', 'br', brotliDecompressSync],
    ['gzip;q=1.0, br;q=0', 'gzip', gunzipSync],
    ['*', 'br', brotliDecompressSync],
    ['br;q=0, *', 'gzip', gunzipSync],
    ['identity', undefined, (b: Buffer) => b],
    ['', undefined, (b: Buffer) => b],
  ] as const)('answers Accept-Encoding "%s" with the precompressed file it allows (%s), varying on it', async (accept, coding, decode) => {
    const res = await relay.app.inject({ url: '/parley.js', headers: accept ? { 'accept-encoding': accept } : {} })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-encoding']).toBe(coding)
    expect(res.headers.vary).toBe('accept-encoding')
    expect(decode(res.rawPayload).toString()).toBe(LOADER)
  })

  it('sends a file uncompressed when the build left no precompressed copy', async () => {
    const res = await relay.app.inject({ url: '/w/consumer.js', headers: { 'accept-encoding': 'br, gzip' } })
    expect(res.headers['content-encoding']).toBeUndefined()
    expect(res.body).toBe('export {}')
  })

  it('caches content-hashed widget chunks for a year and the entry briefly', async () => {
    expect((await callRest(relay, { url: '/w/panel-ABCD1234.js' })).headers['cache-control']).toMatch(/immutable/)
    expect((await callRest(relay, { url: '/w/consumer.js' })).headers['cache-control']).toBe('public, max-age=300')
  })

  it('serves the console page with a strict Content-Security-Policy', async () => {
    const res = await callRest(relay, { url: '/console' })
    expect(res.status).toBe(200)
    expect(res.headers['content-security-policy']).toMatch(/script-src 'self'/)
    expect(res.headers['content-security-policy']).not.toMatch(/unsafe-(eval|inline)/)
  })

  it.each(['/w/..%2Fsecret.txt', '/w/%2e%2e/secret.txt', '/console/..%2F..%2Fsecret.txt', '/w/secret.txt', '/w/missing.js'])('answers %s with a typed 404 and never a file outside the bundles', async (url) => {
    const res = await callRest(relay, { url })
    expect(res.status).toBe(404)
    expect(res.raw).not.toContain('do not serve')
  })
})

describe('transcript search', () => {
  it('finds closed conversations by words in their transcript, and treats search syntax as plain words', async () => {
    const { TestClient } = await import('../helpers/ws-client.js')
    const { client } = await TestClient.visitor(relay.wsUrl, brand.siteKey)
    client.send({ type: 'message.send', convId: 'search-conv', clientMsgId: 'm1', text: 'I want a refund for order 1234' })
    await client.next('message.ack')
    client.send({ type: 'conversation.close', convId: 'search-conv', ref: 'c' })
    await client.next('conversation.closed')
    const find = async (q: string) => (await callRest(relay, { url: `/v1/conversations?status=closed&q=${encodeURIComponent(q)}`, token: brand.apiKey })).body
    expect((await find('refund')).conversations.map((c: { convId: string }) => c.convId)).toEqual(['search-conv'])
    expect((await find('refu*')).conversations).toHaveLength(1)
    expect((await find('refund shipping')).conversations).toHaveLength(0)
    for (const hostile of ['"', 'NEAR(refund', 'refund OR *', '((', '-refund', '^']) {
      const body = await find(hostile)
      expect(Array.isArray(body.conversations)).toBe(true)
    }
    client.close()
  })
})

describe('demo brand site', () => {
  it('serves the brand page with the relay address and site key filled in, and nothing outside the site', async () => {
    const site = await startDemoSite({ host: '127.0.0.1', port: 0, relayUrl: 'http://127.0.0.1:9', siteKey: 'site_demo' })
    try {
      const html = await (await fetch(`${site.url}/`)).text()
      expect(html).toContain('<script async src="http://127.0.0.1:9/parley.js" data-site="site_demo"></script>')
      // Served under a strict CSP: each inline script of the page allowed by its hash, nothing inline else.
      const csp = (await fetch(`${site.url}/`)).headers.get('content-security-policy') ?? ''
      expect(csp).not.toMatch(/unsafe-(inline|eval)/)
      const inline = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!)
      expect(inline.length).toBeGreaterThan(0)
      for (const body of inline) expect(csp).toContain(`'sha256-${createHash('sha256').update(body).digest('base64')}'`)
      expect(csp).toMatch(/script-src http:\/\/127\.0\.0\.1:9 /)
      expect(csp).toContain('connect-src http://127.0.0.1:9 ws://127.0.0.1:9')
      expect((await fetch(`${site.url}/pricing.html`)).status).toBe(200)
      // The shop's single-page app answers at each of its paths, and nothing else does.
      for (const path of ['/pricing', '/checkout']) expect(await (await fetch(`${site.url}${path}`)).text()).toContain('<section data-path="/checkout"')
      expect((await fetch(`${site.url}/constructor`)).status).toBe(404)
      expect((await fetch(`${site.url}/../package.json`)).status).toBe(404)
      expect((await fetch(`${site.url}/README.md`)).status).toBe(404)
    } finally {
      await site.close()
    }
  })
})
