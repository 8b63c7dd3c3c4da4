import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Value } from '@sinclair/typebox/value'
import { SurveysConfig } from '@parley/sdk/contract'
import { answerProblems, checkSurveys, pickText, routeOf, visibleFields } from '@parley/sdk/surveys'
import { ensureDemo } from '../../server/src/demo.js'
import { demoSurveys } from '../../server/src/demo-surveys.js'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { tempDir } from '../helpers/temp-dir.js'

// The demo brand's surveys (`npm start`): valid as the relay checks a save, routing by topic, a
// field shown only for Billing, installed only while the brand has no surveys of its own.

describe("the demo's surveys", () => {
  let relay: TestRelay
  const dirs: (() => void)[] = []
  beforeAll(async () => { relay = await startRelay() })
  afterAll(async () => {
    for (const remove of dirs) remove()
    await relay.close()
  })

  const config = demoSurveys()
  const pre = config.surveys.find((s) => s.id === config.pre)!
  const post = config.surveys.find((s) => s.id === config.post)!

  it('passes the schema and the checks a save runs', () => {
    expect(Value.Check(SurveysConfig, config)).toBe(true)
    expect(checkSurveys(config)).toBeNull()
  })

  it('routes a Billing chat to the billing topic and skill at high priority', () => {
    expect(routeOf(pre, { topic: 'billing' })).toEqual({ topic: 'billing', skill: 'billing', priority: 'high' })
    expect(routeOf(pre, { topic: 'other' })).toEqual({ topic: 'other', priority: 'low' })
  })

  it('asks for the invoice number only when the topic is Billing', () => {
    expect(visibleFields(pre, { topic: 'billing' }).map((f) => f.id)).toContain('invoice')
    expect(visibleFields(pre, { topic: 'orders' }).map((f) => f.id)).not.toContain('invoice')
  })

  it('requires the name, the topic and the consent, and nothing else', () => {
    expect(answerProblems(pre, {}).map((p) => [p.field, p.code])).toEqual([['name', 'required'], ['topic', 'required'], ['consent', 'required']])
    expect(answerProblems(pre, { name: 'Ada', topic: 'orders', consent: true })).toEqual([])
  })

  it('asks CSAT, NPS, resolved and a comment after the chat, in English and French', () => {
    expect(post.fields.map((f) => f.type)).toEqual(['csat', 'nps', 'yesno', 'longtext'])
    expect(pickText(post.fields[0]!.label, 'fr-CA')).toBe('Êtes-vous satisfait de cette discussion ?')
    expect(pickText(post.fields[0]!.label, 'de')).toBe('How satisfied are you with this chat?')
  })

  it('installs the surveys as version 1 on a demo brand without surveys, and leaves surveys the brand saved alone', async () => {
    const { dir, remove } = tempDir()
    dirs.push(remove)
    const first = await ensureDemo(relay.deps, dir, 8080, { surveys: true })
    const saved = await relay.deps.store.getSurveysConfig(first.brandId)
    expect(saved).toMatchObject({ pre: 'demo-pre', post: 'demo-post' })
    expect(saved?.surveys.map((s) => [s.id, s.version])).toEqual([['demo-pre', 1], ['demo-post', 1]])
    expect((await relay.deps.store.getSurveyVersion(first.brandId, 'demo-pre', 1))?.fields.map((f) => f.id)).toEqual(['name', 'topic', 'invoice', 'email', 'consent'])

    const own = { surveys: [{ ...post, id: 'mine', version: 1 }], post: 'mine' }
    await relay.deps.store.setSurveysConfig(first.brandId, own, own.surveys, relay.deps.clock.now())
    await ensureDemo(relay.deps, dir, 8080, { surveys: true })
    expect(await relay.deps.store.getSurveysConfig(first.brandId)).toEqual(own)
  })

  it('leaves a new demo brand without surveys when asked to', async () => {
    const { dir, remove } = tempDir()
    dirs.push(remove)
    const demo = await ensureDemo(relay.deps, dir, 8080, { surveys: false })
    expect(await relay.deps.store.getSurveysConfig(demo.brandId)).toBeNull()
  })
})
