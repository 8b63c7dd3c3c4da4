import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LOGO_URL_PATTERN, WidgetConfig } from '@parley/sdk/contract'
import { safeLogoUrl } from '../../widget/src/ui/logo-url.js'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestBrand, type TestBrand } from '../helpers/brand.js'
import { callRest } from '../helpers/rest.js'

// A brand's logo: https anywhere; plain http only on this machine, for development. The relay's
// config validation and the widget's own check run the same table, so they cannot drift apart.

const CASES: [url: string, allowed: boolean][] = [
  ['https://www.example.com/logo.svg', true],
  ['https://cdn.example.com:8443/a/logo.png?v=2', true],
  ['http://localhost/logo.png', true],
  ['http://localhost:5173/logo.png', true],
  ['http://127.0.0.1:8080/logo.png', true],
  ['http://localhost', true],
  ['http://www.example.com/logo.svg', false],
  ['http://localhost.example.com/logo.png', false],
  ['http://localhost:80@example.com/logo.png', false],
  ['http://127.0.0.1.example.com/logo.png', false],
  ['http://127.0.0.1@example.com/logo.png', false],
  ['HTTP://www.example.com/logo.png', false],
  ['javascript:alert(1)', false],
  ['data:image/svg+xml,<svg/>', false],
  ['//www.example.com/logo.svg', false],
  ['https://www.example.com/a logo.png', false],
]

let relay: TestRelay
let brand: TestBrand
beforeAll(async () => {
  relay = await startRelay()
  brand = await createTestBrand(relay)
})
afterAll(async () => relay?.close())

describe('brand logo URL', () => {
  it.each(CASES)('the relay takes %s in the widget config: %s', async (logoUrl, allowed) => {
    const res = await callRest(relay, { method: 'PUT', url: '/v1/widget-config', token: brand.apiKey, body: { logoUrl } })
    expect(res.status).toBe(allowed ? 200 : 400)
    if (!allowed) expect(res.body.code).toBe('PARLEY_ERR_REQUEST_INVALID')
  })

  it.each(CASES)('the widget shows %s as the logo: %s', (logoUrl, allowed) => {
    expect(safeLogoUrl(logoUrl)).toBe(allowed ? logoUrl : null)
  })

  it("validates the config with the contract's one pattern, the one the widget checks with", () => {
    expect(WidgetConfig.properties.logoUrl.pattern).toBe(LOGO_URL_PATTERN)
  })
})
