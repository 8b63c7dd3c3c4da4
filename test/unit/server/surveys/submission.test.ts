import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Survey, SurveySubmission } from '@parley/sdk/contract'
import { createRelayMasker } from '@parley/sdk/masking'
import type { Store } from '../../../../server/src/store/store.js'
import { createSqliteStore } from '../../../../server/src/store/sqlite/sqlite-store.js'
import { acceptSubmission } from '../../../../server/src/surveys/submission.js'
import { tempDir } from '../../../helpers/temp-dir.js'

// acceptSubmission on a real SQLite store and the default masker: the one path from a visitor's
// submission to what is stored.

const CARD = '4111 1111 1111 1111'
const pre: Survey = {
  id: 'before', kind: 'pre', version: 1,
  fields: [
    { id: 'name', type: 'text', label: { en: 'Name', de: 'Name (de)' }, purpose: 'name' },
    { id: 'email', type: 'email', label: 'E-mail', purpose: 'email' },
    { id: 'phone', type: 'phone', label: 'Phone', purpose: 'phone' },
    { id: 'other_phone', type: 'phone', label: 'Other phone' },
    { id: 'note', type: 'longtext', label: 'Anything else?' },
    { id: 'count', type: 'number', label: 'How many?' },
    { id: 'topic', type: 'choice', label: 'Topic', required: true, options: [
      { value: 'billing', label: 'Billing', route: { topic: 'billing', skill: 'accounts', priority: 'high' } },
      { value: 'other', label: 'Other' },
    ] },
    { id: 'invoice', type: 'text', label: 'Invoice number', when: { field: 'topic', is: 'billing' } },
    { id: 'agree', type: 'consent', label: { en: 'I agree to the terms', de: 'Ich stimme zu' } },
  ],
}

describe('acceptSubmission', () => {
  let store: Store
  let remove: () => void
  let brandId: string
  const masker = createRelayMasker(null)
  // E-mail and phone detectors are off by default; on, they would erase a contact address kept whole.
  const strict = createRelayMasker({ email: { enabled: true }, phone: { enabled: true } })
  beforeAll(async () => {
    const dir = tempDir('parley-submission-')
    remove = dir.remove
    store = createSqliteStore({ file: join(dir.dir, 'parley.db') })
    brandId = `b_${randomBytes(6).toString('hex')}`
    await store.createBrand({ brandId, name: 'B', siteKey: `s_${brandId}`, allowedOrigins: [], apiKeyHash: `h_${brandId}`, createdAt: 1 })
    await store.setSurveysConfig(brandId, { surveys: [pre], pre: 'before' }, [pre], 10)
  })
  afterAll(async () => { await store.close(); remove() })

  const submit = (answers: SurveySubmission['answers'], extra: Partial<SurveySubmission> = {}, m = masker) =>
    acceptSubmission(store, brandId, m, { surveyId: 'before', version: 1, answers, ...extra }, 'pre', 5000)

  it('builds the response with its version, kind, labels, consent text and time', async () => {
    const r = await submit({ topic: 'other', agree: true }, { language: 'de' })
    expect(r).toEqual({
      ok: true, survey: pre, routing: {}, contact: null,
      response: {
        surveyId: 'before', version: 1, kind: 'pre', language: 'de', at: 5000,
        answers: { topic: 'other', agree: true },
        consents: { agree: 'Ich stimme zu' },
        labels: { topic: 'Topic', agree: 'Ich stimme zu' },
      },
    })
  })

  it('gives the routing the picked option sets', async () => {
    const r = await submit({ topic: 'billing' })
    expect(r.ok && r.routing).toEqual({ topic: 'billing', skill: 'accounts', priority: 'high' })
  })

  it('masks a card number in free text, the name included', async () => {
    const r = await submit({ topic: 'billing', name: `Ada ${CARD}`, note: `my card is ${CARD}`, invoice: CARD })
    expect(r.ok).toBe(true)
    const answers = r.ok ? r.response.answers : {}
    for (const f of ['name', 'note', 'invoice']) expect(String(answers[f])).not.toContain('1111')
    expect(String(answers.name)).toMatch(/^Ada /)
  })

  it('keeps the address of a field marked as the visitor\'s e-mail and phone', async () => {
    const r = await submit({ topic: 'other', email: 'ada@example.com', phone: '+44 20 7946 0958' }, {}, strict)
    expect(r.ok && r.response.answers).toMatchObject({ email: 'ada@example.com', phone: '+44 20 7946 0958' })
  })

  it('masks contact details typed in fields not marked as the contact address', async () => {
    const r = await submit({ topic: 'other', other_phone: '+44 20 7946 0958', note: 'write to ada@example.com' }, {}, strict)
    expect(r.ok && r.response.answers.note).toBe('write to [email]')
    expect(r.ok && r.response.answers.other_phone).not.toContain('7946')
  })

  it('leaves numbers, booleans and option values as given', async () => {
    const r = await submit({ topic: 'billing', count: 42, agree: true })
    expect(r.ok && r.response.answers).toMatchObject({ topic: 'billing', count: 42, agree: true })
  })

  it('refuses a number answer that masking would hide (a card number) naming the field, as no number can be masked', async () => {
    expect(await submit({ topic: 'billing', count: 4111111111111111 })).toEqual({
      ok: false, code: 'PARLEY_ERR_SURVEY_ANSWER_INVALID', args: ['count', 'holds a value masking hides'], field: 'count',
    })
  })

  it('refuses an invalid answer with SURVEY_ANSWER_INVALID naming the field', async () => {
    expect(await submit({ topic: 'billing', email: 'not an address' })).toEqual({
      ok: false, code: 'PARLEY_ERR_SURVEY_ANSWER_INVALID', args: ['email', 'is not an e-mail address'], field: 'email',
    })
  })

  it('refuses an unknown answer key that hides a card number without echoing the key', async () => {
    const r = await submit({ topic: 'billing', a4111111111111111: 'x' })
    expect(r).toMatchObject({ ok: false, code: 'PARLEY_ERR_SURVEY_ANSWER_INVALID' })
    expect(JSON.stringify(r)).not.toContain('4111111111111111')
  })

  it('refuses a missing required answer naming the field', async () => {
    const r = await submit({ name: 'Ada' })
    expect(r).toMatchObject({ ok: false, code: 'PARLEY_ERR_SURVEY_ANSWER_INVALID', field: 'topic' })
  })

  it('refuses a version never saved with SURVEY_NOT_FOUND', async () => {
    expect(await submit({ topic: 'other' }, { version: 2 })).toEqual({ ok: false, code: 'PARLEY_ERR_SURVEY_NOT_FOUND', args: ['before', '2'] })
  })

  it('refuses a survey of another kind with SURVEY_NOT_FOUND', async () => {
    const r = await acceptSubmission(store, brandId, masker, { surveyId: 'before', version: 1, answers: { topic: 'other' } }, 'post', 5000)
    expect(r).toMatchObject({ ok: false, code: 'PARLEY_ERR_SURVEY_NOT_FOUND' })
  })

  it('refuses another brand\'s survey with SURVEY_NOT_FOUND', async () => {
    const r = await acceptSubmission(store, `${brandId}_other`, masker, { surveyId: 'before', version: 1, answers: { topic: 'other' } }, 'pre', 5000)
    expect(r).toMatchObject({ ok: false, code: 'PARLEY_ERR_SURVEY_NOT_FOUND' })
  })
})
