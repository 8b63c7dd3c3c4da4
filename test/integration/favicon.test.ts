import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { startDemoSite, type DemoSite } from '../../server/src/demo-site.js'

// Browsers ask every origin for /favicon.ico; a 404 there prints an error in every console load.

/** Checks `res` carries a well-formed one-image 16×16 ICO, cached. */
async function expectIcon(res: Response): Promise<void> {
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toBe('image/x-icon')
  expect(res.headers.get('cache-control')).toMatch(/^public, max-age=\d{4,}/)
  const body = Buffer.from(await res.arrayBuffer())
  expect([body.readUInt16LE(0), body.readUInt16LE(2), body.readUInt16LE(4)]).toEqual([0, 1, 1])
  expect([body[6], body[7]]).toEqual([16, 16])
  expect(body.readUInt32LE(18) + body.readUInt32LE(14)).toBe(body.length)
}

describe('/favicon.ico', () => {
  let relay: TestRelay
  let site: DemoSite
  beforeAll(async () => {
    relay = await startRelay()
    site = await startDemoSite({ host: '127.0.0.1', port: 0, relayUrl: relay.url, siteKey: 'site_demo' })
  })
  afterAll(async () => {
    await site.close()
    await relay.close()
  })

  it('is served by the relay, with or without widget bundles, cached', async () => {
    await expectIcon(await fetch(`${relay.url}/favicon.ico`))
  })

  it('is served by the demo brand site, cached', async () => {
    await expectIcon(await fetch(`${site.url}/favicon.ico`))
  })
})
