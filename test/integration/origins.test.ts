import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestBrand, type TestBrand } from '../helpers/brand.js'
import { TestClient } from '../helpers/ws-client.js'
import { callRest } from '../helpers/rest.js'
import { expectErrorStatusAndBody, expectRefusal } from '../helpers/expect-error.js'
import { openClient, refusedUpgrade } from '../helpers/open-client.js'
import { closeAfterTest, visitorSocket } from '../helpers/tracked-clients.js'
import { expectServing, listBrandConversations } from '../helpers/transcript.js'

// Which pages may open a visitor socket (the brand's exact origins) and make CORS requests; and what
// an unknown site key gets. Origins are whole strings: look-alikes never match.

/** A brand whose only origin is https://brand-HEX.example (unique per test). */
async function brandWithOrigin(relay: TestRelay): Promise<TestBrand & { host: string }> {
  const host = `brand-${randomBytes(4).toString('hex')}.example`
  return { ...(await createTestBrand(relay, `https://${host}`)), host }
}

/** Origins that look like https://HOST but are not it. */
const LOOK_ALIKES: [string, (host: string) => string][] = [
  ['a suffix domain', (h) => `https://${h}.evil.com`],
  ['another port', (h) => `https://${h}:8443`],
  ['plain http', (h) => `http://${h}`],
  ['the null origin', () => 'null'],
  ['a subdomain', (h) => `https://sub.${h}`],
  ['a prefixed host', (h) => `https://x${h}`],
  ['a trailing dot', (h) => `https://${h}.`],
  ['a trailing slash', (h) => `https://${h}/`],
  ['a path naming the host', (h) => `https://evil.com/${h}`],
  ['a userinfo naming the host', (h) => `https://${h}@evil.com`],
  ['an unrelated site', () => 'https://evil.example'],
]

describe('origins and site keys', () => {
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay() })
  afterAll(async () => { await relay.close() })

  const visitorUrl = (siteKey: string) => `${relay.wsUrl}?site=${encodeURIComponent(siteKey)}`

  describe('visitor upgrades', () => {
    it("accepts a visitor upgrade from the brand's exact origin", async () => {
      const brand = await brandWithOrigin(relay)
      const client = await visitorSocket(relay, brand, brand.origin)
      client.send({ type: 'hello', protocol: 1, auth: { kind: 'visitor' } })
      expect((await client.next('welcome')).identity.brandId).toBe(brand.brandId)
    })

    it('accepts a visitor upgrade without an Origin header (a program, not a browser page)', async () => {
      const brand = await brandWithOrigin(relay)
      const client = closeAfterTest(await openClient(visitorUrl(brand.siteKey)))
      client.send({ type: 'hello', protocol: 1, auth: { kind: 'visitor' } })
      await client.next('welcome')
    })

    it.each(LOOK_ALIKES)('refuses a visitor upgrade from %s with 403 PARLEY_ERR_TENANT_ORIGIN', async (_name, make) => {
      const brand = await brandWithOrigin(relay)
      const refused = await refusedUpgrade(openClient(visitorUrl(brand.siteKey), { headers: { Origin: make(brand.host) } }))
      expectErrorStatusAndBody(refused.status, refused.body, 'PARLEY_ERR_TENANT_ORIGIN')
      expect(await listBrandConversations(relay, brand)).toEqual([])
      await expectServing(relay, brand)
    })

    it("refuses a visitor upgrade from another brand's origin with 403 PARLEY_ERR_TENANT_ORIGIN", async () => {
      const a = await brandWithOrigin(relay)
      const b = await brandWithOrigin(relay)
      const refused = await refusedUpgrade(openClient(visitorUrl(a.siteKey), { origin: b.origin }))
      expectErrorStatusAndBody(refused.status, refused.body, 'PARLEY_ERR_TENANT_ORIGIN')
    })

    it('refuses a 4000-character origin without echoing it whole', async () => {
      const brand = await brandWithOrigin(relay)
      const origin = `https://${'a'.repeat(3980)}.example`
      const refused = await refusedUpgrade(openClient(visitorUrl(brand.siteKey), { origin }))
      expectErrorStatusAndBody(refused.status, refused.body, 'PARLEY_ERR_TENANT_ORIGIN')
      expect(refused.body.message.length).toBeLessThan(400)
    })

    it.each([
      ['an unknown site key', () => `site_${randomBytes(16).toString('base64url')}`],
      ['an empty site key', () => ''],
      ['a site key in another case', (b: TestBrand) => b.siteKey.toUpperCase()],
      ['a site key with a suffix', (b: TestBrand) => `${b.siteKey}x`],
      ['a SQL wildcard', () => '%'],
      ['a 300-character site key', () => 's'.repeat(300)],
    ])('refuses %s with 404 PARLEY_ERR_TENANT_SITE_KEY', async (_name, make) => {
      const brand = await brandWithOrigin(relay)
      const refused = await refusedUpgrade(openClient(visitorUrl(make(brand)), { origin: brand.origin }))
      expectErrorStatusAndBody(refused.status, refused.body, 'PARLEY_ERR_TENANT_SITE_KEY')
    })

    it('refuses a repeated site parameter with 404 PARLEY_ERR_TENANT_SITE_KEY', async () => {
      const brand = await brandWithOrigin(relay)
      const url = `${relay.wsUrl}?site=${brand.siteKey}&site=${brand.siteKey}`
      const refused = await refusedUpgrade(openClient(url, { origin: brand.origin }))
      expectErrorStatusAndBody(refused.status, refused.body, 'PARLEY_ERR_TENANT_SITE_KEY')
    })

    it('closes a visitor hello on a socket without a site key with PARLEY_ERR_TENANT_SITE_KEY and 4404', async () => {
      const client = closeAfterTest(await TestClient.connect(relay.wsUrl))
      client.send({ type: 'hello', protocol: 1, auth: { kind: 'visitor' } })
      await expectRefusal(client, 'PARLEY_ERR_TENANT_SITE_KEY')
      expect(client.all('welcome')).toEqual([])
    })
  })

  describe('CORS', () => {
    const preflight = (origin: string) => callRest(relay, {
      method: 'OPTIONS', url: '/v1/conversations',
      headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    })

    it("allows a preflight from a brand's exact origin", async () => {
      const brand = await brandWithOrigin(relay)
      const res = await preflight(brand.origin)
      expect(res.status).toBe(204)
      expect(res.headers['access-control-allow-origin']).toBe(brand.origin)
      expect(String(res.headers['access-control-allow-methods'])).toContain('GET')
      expect(String(res.headers['access-control-allow-headers']).toLowerCase()).toContain('authorization')
    })

    it('never allows credentials or a wildcard origin', async () => {
      const brand = await brandWithOrigin(relay)
      const res = await preflight(brand.origin)
      expect(res.headers['access-control-allow-origin']).not.toBe('*')
      expect(res.headers['access-control-allow-credentials']).toBeUndefined()
    })

    it.each(LOOK_ALIKES)('does not allow a preflight from %s', async (_name, make) => {
      const brand = await brandWithOrigin(relay)
      const res = await preflight(make(brand.host))
      expect(res.headers['access-control-allow-origin']).toBeUndefined()
    })

    it('does not let a look-alike origin read a REST answer', async () => {
      const brand = await brandWithOrigin(relay)
      const res = await callRest(relay, { url: '/v1/conversations', token: brand.apiKey, headers: { origin: `https://${brand.host}.evil.com` } })
      expect(res.headers['access-control-allow-origin']).toBeUndefined()
    })

    it("lets the brand's exact origin read a REST answer", async () => {
      const brand = await brandWithOrigin(relay)
      const res = await callRest(relay, { url: '/v1/conversations', token: brand.apiKey, headers: { origin: brand.origin } })
      expect(res.status).toBe(200)
      expect(res.headers['access-control-allow-origin']).toBe(brand.origin)
    })
  })
})
