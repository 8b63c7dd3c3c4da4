import { describe, expect, it } from 'vitest'
import { InvalidRequestError, NotFoundError, Parley, type FetchLike, type Survey, type SurveysConfig } from '@parley/sdk'
import { rejection, sdkRelay } from '../helpers/sdk-relay.js'
import { createTestBrand } from '../helpers/brand.js'

// parley.surveys and parley.conversations.responses against a real relay: the document
// round-trips with versions, refusals are typed (some caught before anything is sent), old
// versions stay readable, and a conversation's answers are read back.

const PRE: Survey = {
  id: 'contact', kind: 'pre',
  fields: [{ id: 'topic', type: 'choice', label: 'Topic', required: true, options: [{ value: 'billing', label: 'Billing' }, { value: 'other', label: 'Other' }] }],
}
const POST: Survey = { id: 'csat', kind: 'post', fields: [{ id: 'score', type: 'csat', label: 'How did we do?' }] }
const DOC: SurveysConfig = { surveys: [PRE, POST], pre: 'contact', post: 'csat' }

describe('parley.surveys against the relay', () => {
  const s = sdkRelay()
  const fresh = async () => {
    const brand = await createTestBrand(s.relay)
    return { brand, sdk: new Parley({ relay: s.relay.url, apiKey: brand.apiKey }) }
  }

  it('reads { surveys: [] } before anything is saved, then what set saved, with versions', async () => {
    const { sdk } = await fresh()
    expect(await sdk.surveys.get()).toEqual({ surveys: [] })
    const saved = await sdk.surveys.set(DOC)
    expect(saved.surveys.map((x) => x.version)).toEqual([1, 1])
    expect(await sdk.surveys.get()).toEqual(saved)
  })

  it('bumps only the survey an update changes, and keeps the old version readable', async () => {
    const { sdk } = await fresh()
    await sdk.surveys.set(DOC)
    const updated = await sdk.surveys.update({ surveys: [PRE, { ...POST, title: 'Thanks!' }] })
    expect(updated.surveys.map((x) => [x.id, x.version])).toEqual([['contact', 1], ['csat', 2]])
    expect(await sdk.surveys.version('csat', 1)).toEqual({ ...POST, version: 1 })
    expect(await sdk.surveys.version('csat', 2)).toEqual({ ...POST, title: 'Thanks!', version: 2 })
  })

  it('refuses a document checkSurveys refuses with InvalidRequestError PARLEY_ERR_SURVEYS_INVALID before sending anything', async () => {
    const { brand } = await fresh()
    let calls = 0
    const counting: FetchLike = async () => { calls++; throw new Error('nothing is sent in this test') }
    const sdk = new Parley({ relay: s.relay.url, apiKey: brand.apiKey, fetch: counting })
    const err = await rejection(sdk.surveys.set({ surveys: [POST], pre: 'csat' }))
    expect(err).toBeInstanceOf(InvalidRequestError)
    expect(err).toMatchObject({ code: 'PARLEY_ERR_SURVEYS_INVALID', status: 400 })
    expect(err.message).toContain(' at pre: ')
    expect(calls).toBe(0)
  })

  it('refuses an update the relay refuses with InvalidRequestError PARLEY_ERR_SURVEYS_INVALID', async () => {
    const { sdk } = await fresh()
    await sdk.surveys.set(DOC)
    const err = await rejection(sdk.surveys.update({ pre: 'csat' }))
    expect(err).toMatchObject({ code: 'PARLEY_ERR_SURVEYS_INVALID', status: 400 })
  })

  it('answers NotFoundError PARLEY_ERR_SURVEY_NOT_FOUND for a version never saved', async () => {
    const { sdk } = await fresh()
    await sdk.surveys.set(DOC)
    const err = await rejection(sdk.surveys.version('contact', 9))
    expect(err).toBeInstanceOf(NotFoundError)
    expect(err.code).toBe('PARLEY_ERR_SURVEY_NOT_FOUND')
  })

  it('reads a conversation\'s answers with parley.conversations.responses', async () => {
    const { brand, sdk } = await fresh()
    await sdk.surveys.set(DOC)
    const response = { surveyId: 'contact', version: 1, kind: 'pre' as const, answers: { topic: 'billing' }, at: 1000 }
    await s.relay.deps.store.openConversation({
      brandId: brand.brandId, convId: 'c_sdk_1', visitorId: 'v_1', clientMsgId: 'o1', at: 1000, context: null, routing: { topic: 'billing' }, response,
    })
    expect(await sdk.conversations.responses('c_sdk_1')).toEqual([response])
    expect((await sdk.conversations.retrieve('c_sdk_1')).routing).toEqual({ topic: 'billing' })
  })

  it('answers NotFoundError for another brand\'s conversation', async () => {
    const owner = await fresh()
    await s.relay.deps.store.openConversation({
      brandId: owner.brand.brandId, convId: 'c_sdk_2', visitorId: 'v_1', clientMsgId: 'o1', at: 1000, context: null, routing: {}, response: null,
    })
    const { sdk } = await fresh()
    const err = await rejection(sdk.conversations.responses('c_sdk_2'))
    expect(err).toBeInstanceOf(NotFoundError)
    expect(err.code).toBe('PARLEY_ERR_CONV_NOT_FOUND')
  })
})
