import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MaskingRun } from '@parley/sdk/contract'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand, type TestBrand } from '../helpers/brand.js'
import { callRest } from '../helpers/rest.js'
import { expectErrorBody } from '../helpers/expect-error.js'
import { until } from '../helpers/until.js'
import { TestClient } from '../helpers/ws-client.js'
import { databaseFile } from '../../server/src/data-dir.js'
import { CARDS, cardForms, databaseBytes, searchTerms, seedCards, spaced, type SeededBrand } from '../helpers/masking-seed.js'

// Masking existing data through the relay (POST /v1/masking/runs): a brand's transcripts stored
// before masking existed, card numbers included, in open and closed (search-indexed) conversations
// and in stored contexts, are rewritten under the brand's current configuration, and nothing of the
// originals is left in the database file, its WAL or the search index's vocabulary.

async function startRun(relay: TestRelay, brand: TestBrand): Promise<MaskingRun> {
  const res = await callRest(relay, { method: 'POST', url: '/v1/masking/runs', token: brand.apiKey })
  expect(res.status).toBe(202)
  return res.body as MaskingRun
}

async function finished(relay: TestRelay, brand: TestBrand, runId: string): Promise<MaskingRun> {
  return until(async () => {
    const res = await callRest(relay, { url: `/v1/masking/runs/${runId}`, token: brand.apiKey })
    expect(res.status).toBe(200)
    return (res.body as MaskingRun).status === 'done' ? (res.body as MaskingRun) : null
  }, `masking run ${runId} done`)
}

/** The stored texts of one brand: messages, conversation contexts and visitor contexts, from the file. */
function storedTexts(relay: TestRelay, brandId: string): { messages: string[]; contexts: string[] } {
  const db = new Database(databaseFile(relay.dataDir), { readonly: true })
  try {
    const messages = db.prepare<[string], { text: string }>('SELECT text FROM messages WHERE brand_id = ? ORDER BY conv_id, seq').all(brandId).map((r) => r.text)
    const contexts = [
      ...db.prepare<[string], { context: string }>('SELECT context FROM conversations WHERE brand_id = ? AND context IS NOT NULL').all(brandId),
      ...db.prepare<[string], { context: string }>('SELECT context FROM visitors WHERE brand_id = ? AND context IS NOT NULL').all(brandId),
    ].map((r) => r.context)
    return { messages, contexts }
  } finally {
    db.close()
  }
}

describe('POST /v1/masking/runs on a relay with transcripts stored before masking', () => {
  let relay: TestRelay
  let a: TestBrand
  let b: TestBrand
  let seededA: SeededBrand
  let run: MaskingRun
  let bBefore: ReturnType<typeof storedTexts>

  beforeAll(async () => {
    relay = await startRelay()
    a = await createTestBrand(relay)
    b = await createTestBrand(relay)
    seededA = await seedCards(relay.deps.store, a.brandId, CARDS.a, 'a')
    await seedCards(relay.deps.store, b.brandId, CARDS.b, 'b')
    bBefore = storedTexts(relay, b.brandId)
    run = await finished(relay, a, (await startRun(relay, a)).runId)
  })
  afterAll(async () => { await relay.close() })

  it('counts every message of the brand as scanned and those holding a card as changed', () => {
    expect(run).toMatchObject({ status: 'done', scanned: seededA.messages, changed: seededA.withCards })
    expect(run.finishedAt).toBeGreaterThanOrEqual(run.startedAt)
  })

  it('leaves no card number in the brand\'s message rows, and the Luhn-failing order number as it was', () => {
    const { messages } = storedTexts(relay, a.brandId)
    expect(messages).toHaveLength(seededA.messages)
    for (const text of messages) for (const form of cardForms(CARDS.a)) expect(text).not.toContain(form)
    expect(messages).toContain('order number 12345678901234 please')
    expect(messages).toContain('hi, my card is [card] thanks')
  })

  it('leaves no card number in the stored contexts, and keeps what holds none', () => {
    const { contexts } = storedTexts(relay, a.brandId)
    expect(contexts).toHaveLength(seededA.contexts)
    for (const json of contexts) for (const card of CARDS.a) expect(json).not.toContain(card)
    const parsed = contexts.map((c) => JSON.parse(c) as Record<string, unknown>)
    expect(parsed).toContainEqual(expect.objectContaining({
      url: 'https://shop.example/pay?card=[card]&step=2', title: 'Paying with [card]',
      values: { note: 'card [card]', plan: 'pro', seats: 3 },
    }))
    expect(parsed).toContainEqual({ url: 'https://shop.example/', language: 'en' })
  })

  it('rewrites the search index: the closed transcript is found by the mask, not by the number', async () => {
    const terms = searchTerms(databaseFile(relay.dataDir))
    for (const card of CARDS.a) expect(terms.has(card)).toBe(false)
    // Another brand's numbers were never masked: the check can see a number when one is there.
    expect(terms.has(CARDS.b[0])).toBe(true)
    const byMask = await callRest(relay, { url: '/v1/conversations?q=card', token: a.apiKey })
    expect(byMask.body.conversations.map((c: { convId: string }) => c.convId)).toContain(seededA.closedConvId)
    const byNumber = await callRest(relay, { url: `/v1/conversations?q=${CARDS.a[2]}`, token: a.apiKey })
    expect(byNumber.body.conversations).toEqual([])
  })

  it('finds the open conversation (searched as it is, not indexed) by the mask, not by a number the run masked', async () => {
    const byMask = await callRest(relay, { url: '/v1/conversations?q=card&status=open', token: a.apiKey })
    expect(byMask.body.conversations.map((c: { convId: string }) => c.convId)).toEqual([seededA.openConvId])
    for (const card of CARDS.a.slice(0, 2)) {
      // Spaced as it was typed: every group of four must be in one message.
      const byNumber = await callRest(relay, { url: `/v1/conversations?q=${encodeURIComponent(spaced(card))}`, token: a.apiKey })
      expect(byNumber.body.conversations).toEqual([])
    }
    // The other brand's open conversation, never masked, is found by its number: the search can see one.
    const theirs = await callRest(relay, { url: `/v1/conversations?q=${encodeURIComponent(spaced(CARDS.b[0]))}`, token: b.apiKey })
    expect(theirs.body.conversations.map((c: { convId: string }) => c.convId)).toEqual(['b-open'])
  })

  it('leaves no form of the brand\'s card numbers in the database file or its WAL', () => {
    const bytes = databaseBytes(databaseFile(relay.dataDir))
    for (const form of cardForms(CARDS.a)) expect(bytes.includes(form), form).toBe(false)
    expect(bytes.includes(CARDS.b[0])).toBe(true)
  })

  it('leaves another brand\'s messages and contexts as they were', () => {
    expect(storedTexts(relay, b.brandId)).toEqual(bBefore)
  })

  it('answers another brand\'s key asking for the run with 404 PARLEY_ERR_MASKING_RUN_NOT_FOUND', async () => {
    const res = await callRest(relay, { url: `/v1/masking/runs/${run.runId}`, token: b.apiKey })
    expectErrorBody(res, 'PARLEY_ERR_MASKING_RUN_NOT_FOUND')
  })

  it('refuses a supervisor of the brand (AUTH_ROLE: the admins\' job), and a call without a credential', async () => {
    const agent = await createTestAgent(relay, a.brandId)
    expectErrorBody(await callRest(relay, { method: 'POST', url: '/v1/masking/runs', token: agent.token }), 'PARLEY_ERR_AUTH_ROLE')
    expectErrorBody(await callRest(relay, { url: `/v1/masking/runs/${run.runId}`, token: agent.token }), 'PARLEY_ERR_AUTH_ROLE')
    expectErrorBody(await callRest(relay, { method: 'POST', url: '/v1/masking/runs' }), 'PARLEY_ERR_AUTH_REQUIRED')
  })

  it('changes nothing when run again over masked data (masking is idempotent)', async () => {
    const before = storedTexts(relay, a.brandId)
    const again = await finished(relay, a, (await startRun(relay, a)).runId)
    expect(again.runId).not.toBe(run.runId)
    expect(again).toMatchObject({ status: 'done', scanned: seededA.messages, changed: 0 })
    expect(storedTexts(relay, a.brandId)).toEqual(before)
  })
})

describe('a masking run while the relay takes messages', () => {
  let relay: TestRelay
  let brand: TestBrand
  beforeAll(async () => {
    // Small batches with pauses keep the run going while the test writes.
    relay = await startRelay({
      maskingRuns: { batchSize: 5, pauseMs: 20 },
      limits: { messagesPerSecond: 1000, visitorMessagesPerSecond: 1000, framesPerSecond: 1000 },
    })
    brand = await createTestBrand(relay)
  })
  afterAll(async () => { await relay.close() })

  it('keeps messages sent during the run (masked by the relay), masks the old ones, and tells the connected visitor', async () => {
    const v = await TestClient.visitor(relay.wsUrl, brand.siteKey, { origin: brand.origin })
    const identity = v.welcome.identity
    if (identity.kind !== 'visitor') throw new Error('expected a visitor')
    const convId = 'live-conv'
    // The visitor's own conversation holds old messages with card numbers among many plain ones.
    const old = Array.from({ length: 120 }, (_, i) => i % 20 === 0 ? `old ${i}: card ${CARDS.a[0]}` : `old ${i}: plain`)
    const results = await relay.deps.store.appendMessages(old.map((text, i) => ({
      brandId: brand.brandId, convId, clientMsgId: `old-${i}`, from: { kind: 'visitor', id: identity.visitorId }, text, at: 1_000 + i, context: null,
    })))
    expect(results.every((r) => r.ok)).toBe(true)

    const started = await startRun(relay, brand)
    await until(async () => {
      const r = (await callRest(relay, { url: `/v1/masking/runs/${started.runId}`, token: brand.apiKey })).body as MaskingRun
      return r.scanned > 0 && r.status === 'running'
    }, 'the run under way')
    // Sent during the run through the relay, which masks them itself (a few carry a card number).
    const sent = Array.from({ length: 30 }, (_, i) => i % 10 === 0 ? `new ${i}: card ${spaced(CARDS.a[1])}` : `new ${i} during the run`)
    for (const [i, text] of sent.entries()) v.client.send({ type: 'message.send', convId, clientMsgId: `new-${i}`, text })
    for (let i = 0; i < sent.length; i++) await v.client.next('message.ack', (f) => f.clientMsgId === `new-${i}`)
    const midRun = (await callRest(relay, { url: `/v1/masking/runs/${started.runId}`, token: brand.apiKey })).body as MaskingRun
    expect(midRun.status).toBe('running')

    const done = await finished(relay, brand, started.runId)
    expect(done).toMatchObject({ scanned: old.length + sent.length, changed: old.filter((t) => t.includes('card')).length })
    const stored = await relay.deps.store.readMessages(brand.brandId, convId, 0, 1000)
    expect(stored.map((m) => m.text)).toEqual([...old.map((t) => t.replace(CARDS.a[0], '[card]')), ...sent.map((t) => t.replace(spaced(CARDS.a[1]), '[card]'))])
    expect(stored.map((m) => m.seq)).toEqual(Array.from({ length: old.length + sent.length }, (_, i) => i + 1))

    // Every rewritten message reached the connected visitor as message.redacted, with its seq.
    const redacted = await until(() => {
      const frames = v.client.all('message.redacted', (f) => f.convId === convId)
      return frames.length === done.changed ? frames : null
    }, 'message.redacted for each rewritten message')
    expect(redacted.map((f) => f.seq)).toEqual(old.flatMap((t, i) => t.includes('card') ? [i + 1] : []))
    expect(redacted.every((f) => f.text === stored[f.seq - 1]!.text)).toBe(true)
    v.client.close()
  })
})
