import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand, type TestBrand } from '../helpers/brand.js'
import { callRest } from '../helpers/rest.js'
import { expectErrorBody, expectErrorStatusAndBody } from '../helpers/expect-error.js'
import { openClient, refusedUpgrade } from '../helpers/open-client.js'
import { visitorSocket } from '../helpers/tracked-clients.js'

// GET and PATCH /v1/brand: the brand as its own API key sees and changes it. Origins are stored
// canonical, and the widget's checks see a change at once.

describe('/v1/brand', () => {
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay() })
  afterAll(async () => { await relay.close() })

  const get = (brand: TestBrand) => callRest(relay, { url: '/v1/brand', token: brand.apiKey })
  const patch = (token: string, body: unknown) => callRest(relay, { method: 'PATCH', url: '/v1/brand', token, body })
  const siteConfig = (brand: TestBrand, origin: string) =>
    callRest(relay, { url: `/v1/sites/${brand.siteKey}/config`, headers: { origin } })

  it('answers GET with the brand: id, name, site key, origins and creation time', async () => {
    const brand = await createTestBrand(relay)
    const res = await get(brand)
    expect(res.status, res.raw).toBe(200)
    expect(res.body).toEqual({
      brandId: brand.brandId, name: 'Test brand', siteKey: brand.siteKey, allowedOrigins: [brand.origin], createdAt: expect.any(Number),
    })
  })

  it('renames the brand (trimmed) and keeps its origins; the widget config shows the new name', async () => {
    const brand = await createTestBrand(relay)
    const res = await patch(brand.apiKey, { name: '  Shop & Co  ' })
    expect(res.status, res.raw).toBe(200)
    expect(res.body).toMatchObject({ brandId: brand.brandId, name: 'Shop & Co', allowedOrigins: [brand.origin] })
    expect((await get(brand)).body.name).toBe('Shop & Co')
    expect((await siteConfig(brand, brand.origin)).body.brandName).toBe('Shop & Co')
  })

  it('replaces the origins with their canonical forms, deduplicated', async () => {
    const brand = await createTestBrand(relay)
    const res = await patch(brand.apiKey, { allowedOrigins: ['https://WWW.Shop.example:443', 'https://www.shop.example', 'http://localhost:8080'] })
    expect(res.status, res.raw).toBe(200)
    expect(res.body.allowedOrigins.sort()).toEqual(['http://localhost:8080', 'https://www.shop.example'])
    expect((await get(brand)).body.allowedOrigins.sort()).toEqual(['http://localhost:8080', 'https://www.shop.example'])
  })

  it("lets the widget's site-config check accept the new origin and refuse the old one at once", async () => {
    const brand = await createTestBrand(relay)
    expect((await siteConfig(brand, brand.origin)).status).toBe(200)
    expectErrorBody(await siteConfig(brand, 'https://new.shop.example'), 'PARLEY_ERR_TENANT_ORIGIN')
    expect((await patch(brand.apiKey, { allowedOrigins: ['https://new.shop.example'] })).status).toBe(200)
    expect((await siteConfig(brand, 'https://new.shop.example')).status).toBe(200)
    expectErrorBody(await siteConfig(brand, brand.origin), 'PARLEY_ERR_TENANT_ORIGIN')
  })

  it("lets the widget's socket open from the new origin and refuses the old one at once", async () => {
    const brand = await createTestBrand(relay)
    const url = `${relay.wsUrl}?site=${encodeURIComponent(brand.siteKey)}`
    expect((await patch(brand.apiKey, { allowedOrigins: ['https://moved.shop.example'] })).status).toBe(200)
    const client = await visitorSocket(relay, brand, 'https://moved.shop.example')
    expect(client.closeCode).toBeNull()
    const refused = await refusedUpgrade(openClient(url, { origin: brand.origin }))
    expectErrorStatusAndBody(refused.status, refused.body, 'PARLEY_ERR_TENANT_ORIGIN')
  })

  it('lets a CORS preflight from the new origin through at once', async () => {
    const brand = await createTestBrand(relay)
    const origin = `https://cors-${brand.brandId.slice(2, 10).toLowerCase()}.example`
    const preflight = () => callRest(relay, {
      method: 'OPTIONS', url: '/v1/brand', headers: { origin, 'access-control-request-method': 'PATCH' },
    })
    expect((await preflight()).headers['access-control-allow-origin']).toBeUndefined()
    expect((await patch(brand.apiKey, { allowedOrigins: [origin] })).status).toBe(200)
    expect((await preflight()).headers['access-control-allow-origin']).toBe(origin)
  })

  it('changes only the brand whose key is used: another brand\'s key changes its own brand', async () => {
    const a = await createTestBrand(relay)
    const b = await createTestBrand(relay)
    const res = await patch(b.apiKey, { name: 'Brand B', allowedOrigins: ['https://b.example'] })
    expect(res.body.brandId).toBe(b.brandId)
    expect((await get(a)).body).toMatchObject({ name: 'Test brand', allowedOrigins: [a.origin] })
  })

  it('refuses a brandId in the body with 400 naming it, and changes nothing', async () => {
    const a = await createTestBrand(relay)
    const b = await createTestBrand(relay)
    const res = await patch(b.apiKey, { brandId: a.brandId, name: 'Taken over' })
    expectErrorBody(res, 'PARLEY_ERR_REQUEST_INVALID')
    expect(res.body.message).toContain("'brandId'")
    expect((await get(a)).body.name).toBe('Test brand')
    expect((await get(b)).body.name).toBe('Test brand')
  })

  it("refuses a supervisor's token with 403 PARLEY_ERR_AUTH_ROLE and changes nothing; an admin's may", async () => {
    const brand = await createTestBrand(relay)
    const supervisor = await createTestAgent(relay, brand.brandId)
    expectErrorBody(await patch(supervisor.token, { name: 'Agent was here' }), 'PARLEY_ERR_AUTH_ROLE')
    expectErrorBody(await callRest(relay, { url: '/v1/brand', token: supervisor.token }), 'PARLEY_ERR_AUTH_ROLE')
    expect((await get(brand)).body.name).toBe('Test brand')
    // The brand's configuration is the admins' (config.read, config.write).
    const admin = await createTestAgent(relay, brand.brandId, 'Admin', 'admin')
    expect((await callRest(relay, { url: '/v1/brand', token: admin.token })).body.name).toBe('Test brand')
    expect((await patch(admin.token, { name: 'Renamed by an admin' })).status).toBe(200)
  })

  it('refuses an unknown API key with 401 PARLEY_ERR_AUTH_TOKEN_INVALID', async () => {
    expectErrorBody(await patch('sk_' + 'x'.repeat(40), { name: 'Nobody' }), 'PARLEY_ERR_AUTH_TOKEN_INVALID')
  })

  it.each([
    ['an origin with a path', { allowedOrigins: ['https://shop.example/store'] }, 'body/allowedOrigins/0'],
    ['an ftp origin', { allowedOrigins: ['https://ok.example', 'ftp://shop.example'] }, 'body/allowedOrigins/1'],
    ['no origins at all', { allowedOrigins: [] }, 'body/allowedOrigins'],
    ['a blank name', { name: '   ' }, 'body/name'],
    ['a name over 128 characters', { name: 'x'.repeat(129) }, 'body/name'],
  ])('refuses %s with 400 PARLEY_ERR_REQUEST_INVALID naming the field, and changes nothing', async (_what, body, field) => {
    const brand = await createTestBrand(relay)
    const before = (await get(brand)).body
    const res = await patch(brand.apiKey, body)
    expectErrorBody(res, 'PARLEY_ERR_REQUEST_INVALID')
    expect(res.body.message).toContain(field)
    expect((await get(brand)).body).toEqual(before)
  })

  it('answers an empty patch with the brand unchanged', async () => {
    const brand = await createTestBrand(relay)
    const before = (await get(brand)).body
    const res = await patch(brand.apiKey, {})
    expect(res.status).toBe(200)
    expect(res.body).toEqual(before)
  })
})
