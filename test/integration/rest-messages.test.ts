import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestBrand, type TestBrand } from '../helpers/brand.js'
import { callRest } from '../helpers/rest.js'
import { expectErrorBody } from '../helpers/expect-error.js'

// What a brand's developer reads when a REST body is refused: the field at fault and what it should
// be, not the schema validator's own sentence.

describe('REST refusal messages', () => {
  let relay: TestRelay
  let brand: TestBrand
  beforeAll(async () => {
    relay = await startRelay()
    brand = await createTestBrand(relay)
  })
  afterAll(async () => { await relay.close() })

  it('says a texts key is not a valid BCP 47 language tag, naming the field and the key', async () => {
    const res = await callRest(relay, { method: 'PUT', url: '/v1/widget-config', token: brand.apiKey, body: { texts: { 'not a tag': { title: 'Hi' } } } })
    expectErrorBody(res, 'PARLEY_ERR_REQUEST_INVALID')
    expect(res.body.message).toBe("Invalid request: body/texts: 'not a tag' is not a valid BCP 47 language tag (such as en or pt-BR)")
  })

  it('still names an unknown field of an object as the field refused', async () => {
    const res = await callRest(relay, { method: 'PUT', url: '/v1/widget-config', token: brand.apiKey, body: { colour: '#123456' } })
    expectErrorBody(res, 'PARLEY_ERR_REQUEST_INVALID')
    expect(res.body.message).toBe("Invalid request: body must NOT have additional properties ('colour')")
  })

  it('answers a text/plain widget config with 415 PARLEY_ERR_REQUEST_MEDIA_TYPE naming the accepted types', async () => {
    const res = await callRest(relay, {
      method: 'PATCH', url: '/v1/widget-config', token: brand.apiKey,
      body: '{"color":"#123456"}', headers: { 'content-type': 'text/plain' },
    })
    expectErrorBody(res, 'PARLEY_ERR_REQUEST_MEDIA_TYPE')
    expect(res.body.message).toBe('Content-Type text/plain is not accepted; send application/json or application/merge-patch+json')
    expect((await callRest(relay, { url: `/v1/sites/${brand.siteKey}/config` })).body.widget).toEqual({})
  })
})
