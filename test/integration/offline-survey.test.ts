import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Survey } from '@parley/sdk/contract'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestBrand, type TestBrand } from '../helpers/brand.js'
import { callRest } from '../helpers/rest.js'
import { expectErrorBody } from '../helpers/expect-error.js'

// The offline form with the brand's offline survey: POST /v1/sites/:siteKey/offline-messages with
// `survey` opens the offline conversation with the answer stored beside it, the e-mail field kept
// as the contact for the reply, the message field as the first message, free text masked.

const OFFLINE: Survey = {
  id: 'leave-word', kind: 'offline',
  fields: [
    { id: 'who', type: 'text', label: 'Name', purpose: 'name' },
    { id: 'mail', type: 'email', label: 'E-mail', required: true, purpose: 'email' },
    { id: 'dept', type: 'choice', label: 'Department', options: [{ value: 'sales', label: 'Sales' }, { value: 'support', label: 'Support' }] },
    { id: 'body', type: 'longtext', label: 'Message', required: true, purpose: 'message' },
    { id: 'order', type: 'text', label: 'Order number' },
  ],
}
const CARD = '4111 1111 1111 1111'

describe('the offline form with an offline survey', () => {
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay() })
  afterAll(async () => { await relay.close() })

  let n = 0
  const submission = (answers: Record<string, unknown>, over: Record<string, unknown> = {}) => ({
    clientMsgId: `os-${++n}`, survey: { surveyId: 'leave-word', version: 1, answers, ...over },
  })
  const post = (brand: TestBrand, body: unknown) =>
    callRest(relay, { method: 'POST', url: `/v1/sites/${brand.siteKey}/offline-messages`, body, headers: { origin: brand.origin } })
  const get = (brand: TestBrand, url: string) => callRest(relay, { url, token: brand.apiKey })

  /** A brand with the offline survey, and e-mail masking on (so keeping the address is not a default). */
  async function brandWithSurvey(): Promise<TestBrand> {
    const brand = await createTestBrand(relay)
    expect((await callRest(relay, { method: 'PUT', url: '/v1/surveys', token: brand.apiKey, body: { surveys: [OFFLINE], offline: 'leave-word' } })).status).toBe(200)
    expect((await callRest(relay, { method: 'PUT', url: '/v1/masking', token: brand.apiKey, body: { email: { enabled: true } } })).status).toBe(200)
    return brand
  }

  it('opens an offline conversation with the contact from the name and e-mail fields and the message as seq 1', async () => {
    const brand = await brandWithSurvey()
    const res = await post(brand, submission({ who: 'Ada', mail: 'ada@example.com', dept: 'sales', body: 'Please call me back' }))
    expect(res.status).toBe(201)
    expect((await get(brand, `/v1/conversations/${res.body.convId}`)).body).toMatchObject({ origin: 'offline', contact: { name: 'Ada', email: 'ada@example.com' }, lastSeq: 1 })
    expect((await get(brand, `/v1/conversations/${res.body.convId}/messages`)).body.messages).toEqual([expect.objectContaining({ seq: 1, text: 'Please call me back' })])
  })

  it('stores the answer with its version beside the conversation', async () => {
    const brand = await brandWithSurvey()
    const res = await post(brand, submission({ who: 'Ada', mail: 'ada@example.com', dept: 'sales', body: 'Hello' }, { language: 'en' }))
    expect((await get(brand, `/v1/conversations/${res.body.convId}/responses`)).body).toEqual({
      responses: [{
        surveyId: 'leave-word', version: 1, kind: 'offline', language: 'en', at: expect.any(Number),
        answers: { who: 'Ada', mail: 'ada@example.com', dept: 'sales', body: 'Hello' },
        labels: { who: 'Name', mail: 'E-mail', dept: 'Department', body: 'Message' },
      }],
    })
  })

  it('masks free text in the answer and the message, and keeps the e-mail address', async () => {
    const brand = await brandWithSurvey()
    const res = await post(brand, submission({ mail: 'ada@example.com', body: `card ${CARD}, or write to bob@example.com`, order: CARD }))
    expect(res.status).toBe(201)
    const [response] = (await get(brand, `/v1/conversations/${res.body.convId}/responses`)).body.responses
    expect(response.answers.mail).toBe('ada@example.com')
    expect(response.answers.body).toBe('card [card], or write to [email]')
    expect(response.answers.order).toBe('[card]')
    const [message] = (await get(brand, `/v1/conversations/${res.body.convId}/messages`)).body.messages
    expect(message.text).toBe('card [card], or write to [email]')
  })

  it('leaves the contact name empty when the survey asks for none', async () => {
    const brand = await brandWithSurvey()
    const res = await post(brand, submission({ mail: 'ada@example.com', body: 'Hi' }))
    expect((await get(brand, `/v1/conversations/${res.body.convId}`)).body.contact).toEqual({ name: '', email: 'ada@example.com' })
  })

  it('answers a retry with the same clientMsgId with the same conversation and one answer', async () => {
    const brand = await brandWithSurvey()
    const body = submission({ mail: 'ada@example.com', body: 'Once' })
    const first = await post(brand, body)
    const again = await post(brand, body)
    expect(again.status).toBe(201)
    expect(again.body).toEqual(first.body)
    expect((await get(brand, `/v1/conversations/${first.body.convId}/responses`)).body.responses).toHaveLength(1)
  })

  it('refuses an invalid answer with SURVEY_ANSWER_INVALID naming the field in the body, and stores nothing', async () => {
    const brand = await brandWithSurvey()
    const res = await post(brand, submission({ mail: 'not an address', body: 'Hi' }))
    expect(res.status).toBe(400)
    expect(res.body).toMatchObject({ code: 'PARLEY_ERR_SURVEY_ANSWER_INVALID', field: 'mail', retryable: false })
    expect(res.body.message).toBe('Answer to field mail is refused: is not an e-mail address')
    expect((await get(brand, '/v1/conversations')).body.conversations).toEqual([])
  })

  it('refuses a missing required message with SURVEY_ANSWER_INVALID naming the field', async () => {
    const brand = await brandWithSurvey()
    const res = await post(brand, submission({ mail: 'ada@example.com' }))
    expect(res.body).toMatchObject({ code: 'PARLEY_ERR_SURVEY_ANSWER_INVALID', field: 'body' })
  })

  it('refuses a version never saved, and another brand\'s survey, with SURVEY_NOT_FOUND', async () => {
    const brand = await brandWithSurvey()
    expectErrorBody(await post(brand, submission({ mail: 'ada@example.com', body: 'Hi' }, { version: 2 })), 'PARLEY_ERR_SURVEY_NOT_FOUND')
    const other = await createTestBrand(relay)
    expectErrorBody(await post(other, submission({ mail: 'ada@example.com', body: 'Hi' })), 'PARLEY_ERR_SURVEY_NOT_FOUND')
  })

  it('refuses a pre-chat survey sent as the offline form with SURVEY_NOT_FOUND', async () => {
    const brand = await createTestBrand(relay)
    const pre: Survey = { id: 'leave-word', kind: 'pre', fields: [{ id: 'body', type: 'text', label: 'Say' }] }
    await callRest(relay, { method: 'PUT', url: '/v1/surveys', token: brand.apiKey, body: { surveys: [pre] } })
    expectErrorBody(await post(brand, submission({ body: 'Hi' })), 'PARLEY_ERR_SURVEY_NOT_FOUND')
  })

  it('refuses the plain fields given beside a survey with REQUEST_INVALID', async () => {
    const brand = await brandWithSurvey()
    const res = await post(brand, { ...submission({ mail: 'ada@example.com', body: 'Hi' }), name: 'Ada' })
    expectErrorBody(res, 'PARLEY_ERR_REQUEST_INVALID')
  })

  it('still requires name, e-mail and message without a survey, with REQUEST_INVALID naming the field', async () => {
    const brand = await createTestBrand(relay)
    const res = await post(brand, { email: 'ada@example.com', message: 'Hi', clientMsgId: `os-${++n}` })
    expectErrorBody(res, 'PARLEY_ERR_REQUEST_INVALID')
    expect(res.body.message).toContain("'name'")
  })
})

describe('offline survey log lines', () => {
  const lines: string[] = []
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay({ logStream: { write: (line) => { lines.push(line) } } }) })
  afterAll(async () => { await relay.close() })

  it('carry ids and lengths, never an answer, whether stored or refused', async () => {
    const brand = await createTestBrand(relay)
    await callRest(relay, { method: 'PUT', url: '/v1/surveys', token: brand.apiKey, body: { surveys: [OFFLINE], offline: 'leave-word' } })
    lines.length = 0
    const post = (answers: Record<string, unknown>, clientMsgId: string) => callRest(relay, {
      method: 'POST', url: `/v1/sites/${brand.siteKey}/offline-messages`, headers: { origin: brand.origin },
      body: { clientMsgId, survey: { surveyId: 'leave-word', version: 1, answers } },
    })
    const stored = await post({ who: 'NAME-NEVER-IN-LOGS', mail: 'never-in-logs@example.com', body: 'MESSAGE-NEVER-IN-LOGS', order: 'ORDER-NEVER-IN-LOGS' }, 'log-1')
    expect(stored.status).toBe(201)
    expect((await post({ mail: 'REFUSED-NEVER-IN-LOGS', body: 'x' }, 'log-2')).status).toBe(400)
    const logged = lines.join('')
    expect(logged).toContain(stored.body.convId)
    for (const secret of ['NAME-NEVER-IN-LOGS', 'never-in-logs', 'MESSAGE-NEVER-IN-LOGS', 'ORDER-NEVER-IN-LOGS', 'REFUSED-NEVER-IN-LOGS']) expect(logged).not.toContain(secret)
  })
})
