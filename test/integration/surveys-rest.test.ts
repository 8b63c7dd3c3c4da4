import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Rule, Survey, SurveysConfig } from '@parley/sdk/contract'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand, type TestBrand } from '../helpers/brand.js'
import { callRest, type RestResponse } from '../helpers/rest.js'
import { expectErrorBody } from '../helpers/expect-error.js'

// The surveys over REST on a real relay: the document (GET/PUT/PATCH) checked and versioned on
// save, old versions readable, the answers of a conversation, rules naming surveys, the public
// site config carrying the surveys in use, and REST conversations carrying their routing.

const PRE: Survey = {
  id: 'contact', kind: 'pre', title: 'Before we chat',
  fields: [
    { id: 'name', type: 'text', label: 'Your name', purpose: 'name' },
    { id: 'topic', type: 'choice', label: 'Topic', required: true, options: [
      { value: 'billing', label: 'Billing', route: { topic: 'billing', priority: 'high' } },
      { value: 'other', label: 'Something else' },
    ] },
  ],
}
const POST: Survey = { id: 'csat', kind: 'post', fields: [{ id: 'score', type: 'csat', label: 'How did we do?', required: true }] }
const OFFLINE: Survey = {
  id: 'leave-word', kind: 'offline',
  fields: [
    { id: 'email', type: 'email', label: 'E-mail', required: true, purpose: 'email' },
    { id: 'message', type: 'longtext', label: 'Message', required: true, purpose: 'message' },
  ],
}
const DRAFT: Survey = { id: 'draft', kind: 'pre', fields: [{ id: 'q', type: 'yesno', label: 'Ready?' }] }
const DOC: SurveysConfig = { surveys: [PRE, POST, OFFLINE, DRAFT], pre: 'contact', post: 'csat', offline: 'leave-word' }

const v = (s: Survey, version: number): Survey => ({ ...s, version })

describe('surveys over REST', () => {
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay() })
  afterAll(async () => { await relay.close() })

  const rest = (brand: TestBrand, method: 'GET' | 'PUT' | 'PATCH', url: string, body?: unknown, token = brand.apiKey) =>
    callRest(relay, { method, url, token, ...(body !== undefined ? { body } : {}) })
  const siteConfig = (brand: TestBrand) => callRest(relay, { url: `/v1/sites/${brand.siteKey}/config`, headers: { origin: brand.origin } })
  function expectRefusedAt(res: RestResponse, code: 'PARLEY_ERR_SURVEYS_INVALID' | 'PARLEY_ERR_RULES_INVALID', path: string) {
    expectErrorBody(res, code)
    expect(res.body.message).toContain(` at ${path}:`)
  }
  async function brandWithSurveys(): Promise<TestBrand> {
    const brand = await createTestBrand(relay)
    expect((await rest(brand, 'PUT', '/v1/surveys', DOC)).status).toBe(200)
    return brand
  }

  describe('/v1/surveys', () => {
    it('answers { surveys: [] } before any surveys are saved', async () => {
      const brand = await createTestBrand(relay)
      expect((await rest(brand, 'GET', '/v1/surveys')).body).toEqual({ surveys: [] })
    })

    it('stores the document with version 1 for each survey and serves it to the brand\'s agents', async () => {
      const brand = await createTestBrand(relay)
      const put = await rest(brand, 'PUT', '/v1/surveys', DOC)
      const saved = { ...DOC, surveys: DOC.surveys.map((s) => v(s, 1)) }
      expect(put.status).toBe(200)
      expect(put.body).toEqual(saved)
      const agent = await createTestAgent(relay, brand.brandId)
      expect((await rest(brand, 'GET', '/v1/surveys', undefined, agent.token)).body).toEqual(saved)
    })

    it('refuses a save by a supervisor with AUTH_ROLE (configuration is the admins)', async () => {
      const brand = await createTestBrand(relay)
      const agent = await createTestAgent(relay, brand.brandId)
      expectErrorBody(await rest(brand, 'PUT', '/v1/surveys', DOC, agent.token), 'PARLEY_ERR_AUTH_ROLE')
    })

    it('keeps the version of an unchanged survey and bumps only the changed one', async () => {
      const brand = await brandWithSurveys()
      const changed = { ...PRE, title: 'Hello!' }
      // What GET answered goes back with its versions; a version given on save is ignored.
      const put = await rest(brand, 'PUT', '/v1/surveys', { ...DOC, surveys: [{ ...changed, version: 7 }, v(POST, 1), OFFLINE, DRAFT] })
      expect(put.body.surveys.map((s: Survey) => [s.id, s.version])).toEqual([['contact', 2], ['csat', 1], ['leave-word', 1], ['draft', 1]])
      const again = await rest(brand, 'PUT', '/v1/surveys', put.body)
      expect(again.body.surveys.map((s: Survey) => s.version)).toEqual([2, 1, 1, 1])
    })

    it('merges a PATCH (the list replaced whole) and numbers the result', async () => {
      const brand = await brandWithSurveys()
      const res = await rest(brand, 'PATCH', '/v1/surveys', { surveys: [PRE, { ...POST, name: 'CSAT' }], offline: null })
      expect(res.status).toBe(200)
      expect(res.body).toEqual({ surveys: [v(PRE, 1), v({ ...POST, name: 'CSAT' }, 2)], pre: 'contact', post: 'csat' })
    })

    it('keeps an old version readable after an edit, for the brand and its agents', async () => {
      const brand = await brandWithSurveys()
      await rest(brand, 'PUT', '/v1/surveys', { ...DOC, surveys: [{ ...PRE, title: 'New title' }, POST, OFFLINE] })
      const agent = await createTestAgent(relay, brand.brandId)
      expect((await rest(brand, 'GET', '/v1/surveys/contact/versions/1')).body).toEqual(v(PRE, 1))
      expect((await rest(brand, 'GET', '/v1/surveys/contact/versions/2', undefined, agent.token)).body).toEqual(v({ ...PRE, title: 'New title' }, 2))
      expect((await rest(brand, 'GET', '/v1/surveys/draft/versions/1')).body).toEqual(v(DRAFT, 1))
    })

    it('gives a survey removed and added back the next version after its last', async () => {
      const brand = await brandWithSurveys()
      await rest(brand, 'PUT', '/v1/surveys', { ...DOC, surveys: [PRE, POST, OFFLINE] })
      const back = await rest(brand, 'PUT', '/v1/surveys', { ...DOC, surveys: [PRE, POST, OFFLINE, { ...DRAFT, name: 'Back' }] })
      expect(back.body.surveys[3].version).toBe(2)
    })

    it('answers SURVEY_NOT_FOUND for a version never saved and for another brand\'s survey', async () => {
      const brand = await brandWithSurveys()
      const other = await createTestBrand(relay)
      expectErrorBody(await rest(brand, 'GET', '/v1/surveys/contact/versions/2'), 'PARLEY_ERR_SURVEY_NOT_FOUND')
      expectErrorBody(await rest(other, 'GET', '/v1/surveys/contact/versions/1'), 'PARLEY_ERR_SURVEY_NOT_FOUND')
    })

    it('refuses a document the schema refuses with REQUEST_INVALID and saves nothing', async () => {
      const brand = await brandWithSurveys()
      expectErrorBody(await rest(brand, 'PUT', '/v1/surveys', { surveys: [{ ...PRE, fields: [] }] }), 'PARLEY_ERR_REQUEST_INVALID')
      expect((await rest(brand, 'GET', '/v1/surveys')).body.surveys).toHaveLength(4)
    })

    it('refuses a duplicate field id with SURVEYS_INVALID naming the path, and saves nothing', async () => {
      const brand = await brandWithSurveys()
      const dup = { ...PRE, title: 'Dup', fields: [PRE.fields[0]!, { ...PRE.fields[0]!, label: 'Again' }] }
      const res = await rest(brand, 'PUT', '/v1/surveys', { surveys: [dup], pre: 'contact' })
      expectRefusedAt(res, 'PARLEY_ERR_SURVEYS_INVALID', 'surveys/0/fields/1/id')
      expect((await rest(brand, 'GET', '/v1/surveys')).body.surveys[0]).toEqual(v(PRE, 1))
      expectErrorBody(await rest(brand, 'GET', '/v1/surveys/contact/versions/2'), 'PARLEY_ERR_SURVEY_NOT_FOUND')
    })

    it('refuses `pre` naming a survey of another kind with SURVEYS_INVALID at pre', async () => {
      const brand = await createTestBrand(relay)
      expectRefusedAt(await rest(brand, 'PUT', '/v1/surveys', { surveys: [POST], pre: 'csat' }), 'PARLEY_ERR_SURVEYS_INVALID', 'pre')
    })

    it('refuses to drop a survey a rule names with SURVEYS_INVALID', async () => {
      const brand = await brandWithSurveys()
      const rule: Rule = { id: 'vip', action: { type: 'button', survey: 'draft' } }
      expect((await rest(brand, 'PUT', '/v1/rules', { rules: [rule] })).status).toBe(200)
      const res = await rest(brand, 'PUT', '/v1/surveys', { ...DOC, surveys: [PRE, POST, OFFLINE] })
      expectRefusedAt(res, 'PARLEY_ERR_SURVEYS_INVALID', 'surveys')
      expect(res.body.message).toContain('"draft"')
    })
  })

  describe('rules naming surveys', () => {
    it('accepts a button, an invitation and an offline form naming surveys of their kinds', async () => {
      const brand = await brandWithSurveys()
      const rules: Rule[] = [
        { id: 'a', action: { type: 'button', survey: 'draft' } },
        { id: 'b', action: { type: 'invite', message: 'Hi!', survey: 'contact' } },
        { id: 'c', action: { type: 'offline-form', survey: 'leave-word' } },
      ]
      expect((await rest(brand, 'PUT', '/v1/rules', { rules })).status).toBe(200)
    })

    it('refuses a rule naming a survey the brand lacks with RULES_INVALID at its action', async () => {
      const brand = await brandWithSurveys()
      const rules: Rule[] = [{ id: 'a', action: { type: 'hide' } }, { id: 'b', action: { type: 'button', survey: 'nope' } }]
      expectRefusedAt(await rest(brand, 'PUT', '/v1/rules', { rules }), 'PARLEY_ERR_RULES_INVALID', 'rules/1/action/survey')
      expect((await rest(brand, 'GET', '/v1/rules')).body).toEqual({ rules: [] })
    })

    it('refuses an offline form naming a pre-chat survey with RULES_INVALID', async () => {
      const brand = await brandWithSurveys()
      const res = await rest(brand, 'PUT', '/v1/rules', { rules: [{ id: 'c', action: { type: 'offline-form', survey: 'contact' } }] })
      expectRefusedAt(res, 'PARLEY_ERR_RULES_INVALID', 'rules/0/action/survey')
    })

    it('refuses a rule naming another brand\'s survey with RULES_INVALID', async () => {
      await brandWithSurveys()
      const brand = await createTestBrand(relay)
      const res = await rest(brand, 'PUT', '/v1/rules', { rules: [{ id: 'a', action: { type: 'button', survey: 'contact' } }] })
      expectRefusedAt(res, 'PARLEY_ERR_RULES_INVALID', 'rules/0/action/survey')
    })
  })

  describe('the public site config', () => {
    it('carries the surveys in use with their versions, and no draft', async () => {
      const brand = await brandWithSurveys()
      const body = (await siteConfig(brand)).body
      expect(body.surveys).toEqual({ surveys: [v(PRE, 1), v(POST, 1), v(OFFLINE, 1)], pre: 'contact', post: 'csat', offline: 'leave-word' })
    })

    it('adds a survey once a rule names it, with a new ETag', async () => {
      const brand = await brandWithSurveys()
      const before = await siteConfig(brand)
      await rest(brand, 'PUT', '/v1/rules', { rules: [{ id: 'a', action: { type: 'button', survey: 'draft' } }] })
      const after = await siteConfig(brand)
      expect(after.body.surveys.surveys.map((s: Survey) => s.id)).toEqual(['contact', 'csat', 'leave-word', 'draft'])
      expect(after.headers.etag).not.toBe(before.headers.etag)
    })

    it('changes its ETag when a survey in use changes', async () => {
      const brand = await brandWithSurveys()
      const before = await siteConfig(brand)
      await rest(brand, 'PATCH', '/v1/surveys', { surveys: [{ ...PRE, title: 'Changed' }, POST, OFFLINE] })
      const after = await siteConfig(brand)
      expect(after.body.surveys.surveys[0]).toMatchObject({ title: 'Changed', version: 2 })
      expect(after.headers.etag).not.toBe(before.headers.etag)
    })

    it('leaves surveys out for a brand without any', async () => {
      const brand = await createTestBrand(relay)
      expect((await siteConfig(brand)).body).not.toHaveProperty('surveys')
    })
  })

  describe('/v1/conversations/:convId/responses', () => {
    /** A conversation opened with a pre-chat answer (the store, as the relay's conversation.open stores it) and answered after. */
    async function answered(brand: TestBrand) {
      const convId = `c_${Math.random().toString(36).slice(2)}`
      const pre = { surveyId: 'contact', version: 1, kind: 'pre' as const, answers: { topic: 'billing' }, labels: { topic: 'Topic' }, at: 1000 }
      const post = { surveyId: 'csat', version: 1, kind: 'post' as const, answers: { score: 5 }, at: 2000 }
      await relay.deps.store.openConversation({
        brandId: brand.brandId, convId, visitorId: 'v_1', clientMsgId: 'open-1', at: 1000, context: null,
        routing: { topic: 'billing', priority: 'high' }, response: pre,
      })
      await relay.deps.store.addSurveyResponse({ brandId: brand.brandId, convId, visitorId: 'v_1', clientMsgId: 'post-1', response: post })
      return { convId, pre, post }
    }

    it('lists the answers oldest first, to the brand and its agents', async () => {
      const brand = await brandWithSurveys()
      const { convId, pre, post } = await answered(brand)
      const agent = await createTestAgent(relay, brand.brandId)
      expect((await rest(brand, 'GET', `/v1/conversations/${convId}/responses`)).body).toEqual({ responses: [pre, post] })
      expect((await rest(brand, 'GET', `/v1/conversations/${convId}/responses`, undefined, agent.token)).body).toEqual({ responses: [pre, post] })
    })

    it('answers CONV_NOT_FOUND for another brand\'s conversation', async () => {
      const brand = await brandWithSurveys()
      const { convId } = await answered(brand)
      const other = await createTestBrand(relay)
      expectErrorBody(await rest(other, 'GET', `/v1/conversations/${convId}/responses`), 'PARLEY_ERR_CONV_NOT_FOUND')
      const agent = await createTestAgent(relay, other.brandId)
      expectErrorBody(await rest(other, 'GET', `/v1/conversations/${convId}/responses`, undefined, agent.token), 'PARLEY_ERR_CONV_NOT_FOUND')
    })

    it('shows the routing the answers set on the REST conversation', async () => {
      const brand = await brandWithSurveys()
      const { convId } = await answered(brand)
      expect((await rest(brand, 'GET', `/v1/conversations/${convId}`)).body.routing).toEqual({ topic: 'billing', priority: 'high' })
    })
  })
})
