import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_LIMITS } from '@parley/sdk/contract'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand, type TestBrand } from '../helpers/brand.js'
import { callRest } from '../helpers/rest.js'
import { expectErrorBody } from '../helpers/expect-error.js'
import { until } from '../helpers/until.js'
import { siteConfigCacheControl } from '../../server/src/plugins/rest/site-config.js'

// The brand's widget configuration over REST: GET reads it, PUT replaces it whole, PATCH merges
// (RFC 7396). Every write is validated whole; a refused write changes nothing.

const FULL = {
  color: '#123456', position: 'left', logoUrl: 'https://cdn.shop.example/logo.png', locale: 'en', tracking: 'off',
  texts: { en: { title: 'Ask us', greeting: 'Hello there' } },
} as const

describe('widget config', () => {
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay() })
  afterAll(async () => { await relay.close() })

  async function brandWith(config: unknown): Promise<TestBrand> {
    const brand = await createTestBrand(relay)
    const res = await callRest(relay, { method: 'PUT', url: '/v1/widget-config', token: brand.apiKey, body: config })
    expect(res.status, res.raw).toBe(200)
    return brand
  }
  const read = async (brand: TestBrand) => (await callRest(relay, { url: '/v1/widget-config', token: brand.apiKey })).body
  const patch = (brand: TestBrand, body: unknown, type = 'application/merge-patch+json') =>
    callRest(relay, { method: 'PATCH', url: '/v1/widget-config', token: brand.apiKey, body, headers: { 'content-type': type } })
  const put = (brand: TestBrand, body: unknown) => callRest(relay, { method: 'PUT', url: '/v1/widget-config', token: brand.apiKey, body })

  describe('GET /v1/widget-config', () => {
    it('returns the stored config to the brand key', async () => {
      const brand = await brandWith(FULL)
      const res = await callRest(relay, { url: '/v1/widget-config', token: brand.apiKey })
      expect(res.status).toBe(200)
      expect(res.body).toEqual(FULL)
    })

    it("refuses a supervisor's token with 403 PARLEY_ERR_AUTH_ROLE (the admins' configuration) and no credential with 401", async () => {
      const brand = await brandWith(FULL)
      const agent = await createTestAgent(relay, brand.brandId)
      expectErrorBody(await callRest(relay, { url: '/v1/widget-config', token: agent.token }), 'PARLEY_ERR_AUTH_ROLE')
      expectErrorBody(await callRest(relay, { url: '/v1/widget-config' }), 'PARLEY_ERR_AUTH_REQUIRED')
    })
  })

  describe('PATCH /v1/widget-config', () => {
    it('changes only the greeting and keeps title, logo and tracking', async () => {
      const brand = await brandWith(FULL)
      const res = await patch(brand, { texts: { en: { greeting: 'Welcome back' } } })
      expect(res.status, res.raw).toBe(200)
      const want = { ...FULL, texts: { en: { title: 'Ask us', greeting: 'Welcome back' } } }
      expect(res.body).toEqual(want)
      expect(await read(brand)).toEqual(want)
      expect((await callRest(relay, { url: `/v1/sites/${brand.siteKey}/config` })).body.widget).toEqual(want)
    })

    it('accepts a patch sent as application/json', async () => {
      const brand = await brandWith(FULL)
      expect((await patch(brand, { color: '#abcdef' }, 'application/json')).status).toBe(200)
      expect(await read(brand)).toEqual({ ...FULL, color: '#abcdef' })
    })

    it('removes a field the patch sets to null, so it takes its default again', async () => {
      const brand = await brandWith(FULL)
      expect((await patch(brand, { tracking: null, logoUrl: null })).status).toBe(200)
      const { tracking, logoUrl, ...rest } = FULL
      void tracking; void logoUrl
      expect(await read(brand)).toEqual(rest)
    })

    it('answers a merge that makes the config invalid with 400 PARLEY_ERR_REQUEST_INVALID naming the field, and changes nothing', async () => {
      const brand = await brandWith(FULL)
      const res = await patch(brand, { color: 'red', texts: { en: { greeting: 'Changed' } } })
      expectErrorBody(res, 'PARLEY_ERR_REQUEST_INVALID')
      expect(res.body.message).toContain('body/color')
      expect(await read(brand)).toEqual(FULL)
    })

    it('answers an unknown field in the patch with 400 naming it, and changes nothing', async () => {
      const brand = await brandWith(FULL)
      const res = await patch(brand, { colour: '#000000' })
      expectErrorBody(res, 'PARLEY_ERR_REQUEST_INVALID')
      expect(res.body.message).toContain("'colour'")
      expect(await read(brand)).toEqual(FULL)
    })

    it('answers a patch that is not an object with 400, and changes nothing', async () => {
      const brand = await brandWith(FULL)
      expectErrorBody(await patch(brand, '"off"'), 'PARLEY_ERR_REQUEST_INVALID')
      expect(await read(brand)).toEqual(FULL)
    })

    it('removes the stored texts of a language the patch names in another case', async () => {
      const brand = await brandWith({ texts: { 'fr-CA': { title: 'Parlez-nous' }, en: { title: 'Ask us' } } })
      expect((await patch(brand, { texts: { 'fr-ca': null } })).status).toBe(200)
      expect(await read(brand)).toEqual({ texts: { en: { title: 'Ask us' } } })
    })

    it('merges into the stored texts of a language the patch names in another case', async () => {
      const brand = await brandWith({ texts: { 'fr-CA': { title: 'Parlez-nous' } } })
      const res = await patch(brand, { texts: { 'fr-ca': { greeting: 'Bonjour !' } } })
      expect(res.status, res.raw).toBe(200)
      expect(await read(brand)).toEqual({ texts: { 'fr-CA': { title: 'Parlez-nous', greeting: 'Bonjour !' } } })
    })

    it('keeps both of two patches sent at once', async () => {
      const brand = await brandWith(FULL)
      const [a, b] = await Promise.all([patch(brand, { color: '#000001' }), patch(brand, { texts: { de: { title: 'Fragen Sie uns' } } })])
      expect([a.status, b.status]).toEqual([200, 200])
      expect(await read(brand)).toEqual({ ...FULL, color: '#000001', texts: { ...FULL.texts, de: { title: 'Fragen Sie uns' } } })
    })

    it("refuses a supervisor's token with 403 PARLEY_ERR_AUTH_ROLE and changes nothing", async () => {
      const brand = await brandWith(FULL)
      const agent = await createTestAgent(relay, brand.brandId)
      const res = await callRest(relay, { method: 'PATCH', url: '/v1/widget-config', token: agent.token, body: { color: '#000000' } })
      expectErrorBody(res, 'PARLEY_ERR_AUTH_ROLE')
      expect(await read(brand)).toEqual(FULL)
    })
  })

  describe('PUT /v1/widget-config', () => {
    it('replaces the whole config: fields left out go back to their defaults', async () => {
      const brand = await brandWith(FULL)
      expect((await put(brand, { texts: { en: { greeting: 'Only this' } } })).status).toBe(200)
      expect(await read(brand)).toEqual({ texts: { en: { greeting: 'Only this' } } })
    })

    it('is not overwritten by a PATCH that read the config before the PUT wrote', async () => {
      const brand = await brandWith(FULL)
      const store = relay.deps.store
      const { getWidgetConfig, findApiKey } = store
      let readsHeld = 0
      let release!: () => void
      const gate = new Promise<void>((r) => { release = r })
      let authLookups = 0
      // The PATCH's read answers only once the PUT has been authenticated (the slow disk case).
      store.getWidgetConfig = async (brandId) => {
        const config = await getWidgetConfig.call(store, brandId)
        readsHeld++
        await gate
        return config
      }
      store.findApiKey = async (hash) => { authLookups++; return findApiKey.call(store, hash) }
      try {
        const patched = patch(brand, { color: '#000002' })
        await until(() => readsHeld === 1, 'the PATCH to read the config')
        const before = authLookups
        const replaced = put(brand, { texts: { en: { greeting: 'Only this' } } })
        await until(() => authLookups > before, 'the PUT to be authenticated')
        // The rest of the PUT runs without I/O: one turn of the event loop lets it write, if it may.
        await new Promise((r) => setImmediate(r))
        release()
        expect([(await patched).status, (await replaced).status]).toEqual([200, 200])
      } finally {
        store.getWidgetConfig = getWidgetConfig
        store.findApiKey = findApiKey
      }
      expect(await read(brand)).toEqual({ texts: { en: { greeting: 'Only this' } } })
    })

    it('answers a merge patch sent with PUT with 400 PARLEY_ERR_REQUEST_INVALID, and changes nothing', async () => {
      const brand = await brandWith(FULL)
      const res = await callRest(relay, { method: 'PUT', url: '/v1/widget-config', token: brand.apiKey, body: { color: '#000000' }, headers: { 'content-type': 'application/merge-patch+json' } })
      expectErrorBody(res, 'PARLEY_ERR_REQUEST_INVALID')
      expect(await read(brand)).toEqual(FULL)
    })
  })

  describe('texts by language', () => {
    it('accepts texts for a language the widget does not ship', async () => {
      const brand = await brandWith({ texts: { fr: { title: 'Parlez-nous', greeting: 'Bonjour !' } } })
      expect(await read(brand)).toEqual({ texts: { fr: { title: 'Parlez-nous', greeting: 'Bonjour !' } } })
    })

    it('stores language tags in canonical case', async () => {
      const brand = await brandWith({ locale: 'FR-ca', texts: { 'fr-ca': { title: 'Parlez-nous' }, 'zh-hant-tw': { title: '聯絡我們' } } })
      expect(await read(brand)).toEqual({ locale: 'fr-CA', texts: { 'fr-CA': { title: 'Parlez-nous' }, 'zh-Hant-TW': { title: '聯絡我們' } } })
    })

    it.each([
      ['a key that is no language tag', { texts: { 'x!': { title: 'a' } } }, "body/texts: 'x!' is not a valid BCP 47 language tag"],
      ['a tag Intl refuses', { texts: { 'en-GB-oed': { title: 'a' } } }, 'body/texts/en-GB-oed is not a BCP 47 language tag'],
      ['two spellings of one language', { texts: { 'fr-ca': { title: 'a' }, 'fr-CA': { title: 'b' } } }, 'are the same language (fr-CA)'],
      ['an unknown string key', { texts: { fr: { title: 'a', farewell: 'b' } } }, "body/texts/fr must NOT have additional properties ('farewell')"],
      ['a default language Intl refuses', { locale: 'en-GB-oed' }, "body/locale 'en-GB-oed' is not a BCP 47 language tag"],
    ])('answers %s with 400 PARLEY_ERR_REQUEST_INVALID naming it, and changes nothing', async (_what, body, message) => {
      const brand = await brandWith(FULL)
      const res = await put(brand, body)
      expectErrorBody(res, 'PARLEY_ERR_REQUEST_INVALID')
      expect(res.body.message).toContain(message)
      expect(await read(brand)).toEqual(FULL)
    })
  })

  describe('caching of the public config', () => {
    it('is cached for siteConfigMaxAgeSeconds and never served stale beyond it', async () => {
      const brand = await brandWith(FULL)
      const res = await callRest(relay, { url: `/v1/sites/${brand.siteKey}/config` })
      expect(res.headers['cache-control']).toBe(`public, max-age=${DEFAULT_LIMITS.siteConfigMaxAgeSeconds}`)
      expect(res.headers['cache-control']).toBe(siteConfigCacheControl(DEFAULT_LIMITS))
      expect(String(res.headers['cache-control'])).not.toMatch(/stale/)
    })

    it('answers a revalidation right after a change with the new config', async () => {
      const brand = await brandWith(FULL)
      const before = await callRest(relay, { url: `/v1/sites/${brand.siteKey}/config` })
      expect((await patch(brand, { color: '#0000ff' })).status).toBe(200)
      const after = await callRest(relay, { url: `/v1/sites/${brand.siteKey}/config`, headers: { 'if-none-match': String(before.headers.etag) } })
      expect(after.status).toBe(200)
      expect(after.body.widget.color).toBe('#0000ff')
    })

    it('takes its max-age from the configured limit', async () => {
      const other = await startRelay({ limits: { siteConfigMaxAgeSeconds: 5 } })
      try {
        const brand = await createTestBrand(other)
        const res = await callRest(other, { url: `/v1/sites/${brand.siteKey}/config` })
        expect(res.headers['cache-control']).toBe('public, max-age=5')
      } finally {
        await other.close()
      }
    })
  })
})
