import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Parley, type FetchLike } from '@parley/sdk'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestBrand } from '../helpers/brand.js'
import { seedConversations } from '../helpers/seed-conversations.js'

// The SDK and the relay agree on the API: every request the SDK's resources make is an operation of
// the relay's OpenAPI document (generated from the same contract schemas), sent with a media type
// that operation accepts.

interface Call { method: string; path: string; contentType: string | undefined }
type Json = Record<string, any>


describe('SDK requests against the relay\'s OpenAPI document', () => {
  let relay: TestRelay
  const calls: Call[] = []
  beforeAll(async () => {
    relay = await startRelay()
    const brand = await createTestBrand(relay)
    const [convId] = await seedConversations(relay, brand.brandId, 1, 'openapi')
    const recording: FetchLike = (url, init) => {
      calls.push({ method: init.method, path: new URL(url).pathname, contentType: init.headers['content-type'] })
      return fetch(url, init as RequestInit)
    }
    const parley = new Parley({ relay: relay.url, apiKey: brand.apiKey, fetch: recording, maxRetries: 0 })
    // Every method of every resource once; answers don't matter here, only what was asked.
    const each: (() => Promise<unknown>)[] = [
      () => parley.brand.get(), () => parley.brand.update({ name: 'B' }),
      () => parley.widgetConfig.get(), () => parley.widgetConfig.set({}), () => parley.widgetConfig.update({ color: '#123456' }),
      () => parley.agents.list().toArray(), () => parley.agents.create({ email: 'o@agents.example', name: 'O', password: 'correct horse battery' }),
      async () => parley.agents.update((await parley.agents.create({ email: 'p@agents.example', name: 'P', password: 'correct horse battery' })).agentId, { capacity: 4 }),
      () => parley.agents.presence(),
      () => parley.conversations.list().toArray(), () => parley.conversations.retrieve(convId!),
      () => parley.conversations.messages(convId!).toArray(),
      () => parley.masking.get(), () => parley.masking.set({}), () => parley.masking.update({ email: { enabled: true } }),
      async () => parley.masking.runs.retrieve((await parley.masking.maskExisting()).runId),
      () => parley.rules.get(), () => parley.rules.set([]), () => parley.rules.update({ rules: [] }),
      () => parley.rules.simulate([{ url: 'https://a.example/' }]), () => parley.rules.stats({ days: 7 }),
      () => parley.businessHours.set({ timeZone: 'UTC', weekly: {} }), () => parley.businessHours.get(),
      () => parley.businessHours.update({ weekly: { mon: [{ from: '09:00', to: '17:00' }] } }), () => parley.businessHours.remove(),
      () => parley.reports.get({ from: '2026-03-01', to: '2026-03-02', groupBy: 'topic' }),
      () => parley.routing.get(), () => parley.routing.set({ mode: 'automatic' }), () => parley.routing.update({ offerTimeoutSec: 20 }),
      () => parley.supervisor.get(),
    ]
    for (const call of each) await call().catch(() => undefined)
  })
  afterAll(async () => { await relay.close() })

  async function documented(): Promise<{ call: Call; template: string; op: Json | undefined }[]> {
    const doc = (await (await fetch(`${relay.url}/v1/openapi.json`)).json()) as Json
    const templates = Object.keys(doc.paths as Json).map((p) => ({ p, re: new RegExp(`^${p.replace(/\{\w+\}/g, '[^/]+')}$`) }))
    return calls.map((call) => {
      const t = templates.find((x) => x.re.test(call.path))
      return { call, template: t?.p ?? '(none)', op: t ? (doc.paths as Json)[t.p][call.method.toLowerCase()] as Json | undefined : undefined }
    })
  }

  it('sends only operations the document lists', async () => {
    expect(calls.length).toBeGreaterThanOrEqual(15)
    const missing = (await documented()).filter((d) => d.op === undefined).map((d) => `${d.call.method} ${d.call.path}`)
    expect(missing).toEqual([])
  })

  it('sends each body with a media type its operation lists', async () => {
    const wrong = (await documented())
      .filter((d) => d.call.contentType !== undefined && d.op?.requestBody?.content && !(d.call.contentType in d.op.requestBody.content))
      .map((d) => `${d.call.method} ${d.template} ${d.call.contentType}`)
    expect(wrong).toEqual([])
  })
})
