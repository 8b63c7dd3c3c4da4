import { beforeAll, describe, expect, it } from 'vitest'
import {
  AuthenticationError, ConflictError, InvalidRequestError, NotFoundError, Parley, type Conversation, type FetchLike,
} from '@parley/sdk'
import type { TestRelay } from '../helpers/start-relay.js'
import { rejection, sdkRelay } from '../helpers/sdk-relay.js'
import { createTestBrand, type TestBrand } from '../helpers/brand.js'
import { seedConversations } from '../helpers/seed-conversations.js'

// The brand SDK against a real relay: each resource round-trips, lists page, errors arrive typed.


describe('brand SDK against the relay', () => {
  const s = sdkRelay()
  let relay: TestRelay
  let brand: TestBrand
  let parley: Parley
  beforeAll(() => { ({ relay, brand, parley } = s) })

  it('reads the brand and renames it, replacing its allowed origins', async () => {
    expect(await parley.brand.get()).toMatchObject({ brandId: brand.brandId, siteKey: brand.siteKey, allowedOrigins: [brand.origin] })
    const updated = await parley.brand.update({ name: 'Renamed by the SDK', allowedOrigins: ['https://shop.example.com'] })
    expect(updated).toMatchObject({ brandId: brand.brandId, name: 'Renamed by the SDK', allowedOrigins: ['https://shop.example.com'] })
    expect(await parley.brand.get()).toEqual(updated)
    const err = await rejection(parley.brand.update({ allowedOrigins: [] }))
    expect(err).toBeInstanceOf(InvalidRequestError)
    expect(err.code).toBe('PARLEY_ERR_REQUEST_INVALID')
    expect((await parley.brand.get()).allowedOrigins).toEqual(['https://shop.example.com'])
  })

  it('replaces the widget configuration with set and reads it back with get', async () => {
    const config = { color: '#0a7d5a', position: 'left' as const, texts: { en: { title: 'Talk to us' } } }
    expect(await parley.widgetConfig.set(config)).toEqual(config)
    expect(await parley.widgetConfig.get()).toEqual(config)
  })

  it('merge-patches the widget configuration: null removes a field, the rest stays', async () => {
    await parley.widgetConfig.set({ color: '#0a7d5a', position: 'left', texts: { en: { title: 'Talk to us' } } })
    const after = await parley.widgetConfig.update({ position: null, texts: { fr: { title: 'Parlez-nous' } } })
    expect(after).toEqual({ color: '#0a7d5a', texts: { en: { title: 'Talk to us' }, fr: { title: 'Parlez-nous' } } })
    expect(await parley.widgetConfig.get()).toEqual(after)
  })

  it('creates agents and lists them by iterating', async () => {
    const a = await parley.agents.create({ email: 'ada@agents.example', name: 'Ada', password: 'correct horse battery' })
    expect(a).toMatchObject({ brandId: brand.brandId, email: 'ada@agents.example', name: 'Ada' })
    await parley.agents.create({ email: 'bo@agents.example', name: 'Bo', password: 'correct horse battery' })
    const names: string[] = []
    for await (const agent of parley.agents.list()) names.push(agent.name)
    expect(names.sort()).toEqual(['Ada', 'Bo'])
  })

  it('throws ConflictError PARLEY_ERR_TENANT_EXISTS for an e-mail already taken, with the relay\'s requestId', async () => {
    await parley.agents.create({ email: 'cy@agents.example', name: 'Cy', password: 'correct horse battery' })
    const err = await rejection(parley.agents.create({ email: 'cy@agents.example', name: 'Cy 2', password: 'correct horse battery' }))
    expect(err).toBeInstanceOf(ConflictError)
    expect(err).toMatchObject({ code: 'PARLEY_ERR_TENANT_EXISTS', status: 409, retryable: false })
    expect(err.requestId).toMatch(/\S/)
  })

  it('gets the first result back when a call is repeated with its idempotency key, and a typed error for a different body', async () => {
    const body = { email: 'eve@agents.example', name: 'Eve', password: 'correct horse battery' }
    const first = await parley.agents.create(body, { idempotencyKey: 'sdk-test-eve' })
    expect(await parley.agents.create(body, { idempotencyKey: 'sdk-test-eve' })).toEqual(first)
    const err = await rejection(parley.agents.create({ ...body, name: 'Eve 2' }, { idempotencyKey: 'sdk-test-eve' }))
    expect(err).toBeInstanceOf(InvalidRequestError)
    expect(err).toMatchObject({ code: 'PARLEY_ERR_REQUEST_IDEMPOTENCY_MISMATCH', status: 422, retryable: false })
  })

  it('creates an agent once when the answer to a POST is lost: the retry gets the stored answer', async () => {
    const replayed: (string | null)[] = []
    let losses = 1
    // The network between SDK and relay loses the first answer after the relay acted on the request.
    const lossy: FetchLike = async (url, init) => {
      const res = await fetch(url, init as RequestInit)
      if (init.method !== 'POST') return res
      replayed.push(res.headers.get('idempotent-replayed'))
      if (losses-- > 0) {
        await res.text()
        throw new TypeError('fetch failed')
      }
      return res
    }
    const sdk = new Parley({ relay: relay.url, apiKey: brand.apiKey, fetch: lossy })
    const created = await sdk.agents.create({ email: 'flo@agents.example', name: 'Flo', password: 'correct horse battery' })
    expect(replayed).toEqual([null, 'true'])
    const flos = (await parley.agents.list().toArray()).filter((a) => a.name === 'Flo')
    expect(flos).toEqual([{ agentId: created.agentId, name: 'Flo' }])
  })

  it('throws InvalidRequestError PARLEY_ERR_REQUEST_INVALID naming the field of an invalid body', async () => {
    const err = await rejection(parley.agents.create({ email: 'dee@agents.example', name: 'Dee', password: 'short' }))
    expect(err).toBeInstanceOf(InvalidRequestError)
    expect(err).toMatchObject({ code: 'PARLEY_ERR_REQUEST_INVALID', status: 400, retryable: false })
    expect(err.message).toContain('password')
    const cfg = await rejection(parley.widgetConfig.update({ color: 'green' }))
    expect(cfg).toBeInstanceOf(InvalidRequestError)
    expect(cfg.code).toBe('PARLEY_ERR_REQUEST_INVALID')
  })

  it('throws AuthenticationError for an unknown API key', async () => {
    const bad = new Parley({ relay: relay.url, apiKey: 'pk_not-a-real-key' })
    const err = await rejection(bad.widgetConfig.get())
    expect(err).toBeInstanceOf(AuthenticationError)
    expect(err).toMatchObject({ status: 401, retryable: false })
    expect(err.code).toMatch(/^PARLEY_ERR_AUTH_/)
  })

  it('walks every conversation newest first across pages of `limit`', async () => {
    const other = await createTestBrand(relay)
    const ids = await seedConversations(relay, other.brandId, 7, 'page')
    const sdk = new Parley({ relay: relay.url, apiKey: other.apiKey })
    const pages: Conversation[][] = []
    for await (const page of sdk.conversations.list({ limit: 3 }).pages()) pages.push(page.conversations)
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1])
    const seen: string[] = []
    for await (const c of sdk.conversations.list({ limit: 3 })) seen.push(c.convId)
    expect(seen).toEqual([...ids].reverse())
    expect(await sdk.conversations.list({ limit: 2 }).toArray(5)).toHaveLength(5)
  })

  it('retrieves one conversation, and throws NotFoundError for another brand\'s', async () => {
    const [mine] = await seedConversations(relay, brand.brandId, 1, 'mine')
    const other = await createTestBrand(relay)
    const [theirs] = await seedConversations(relay, other.brandId, 1, 'theirs')
    expect(await parley.conversations.retrieve(mine!)).toMatchObject({ convId: mine, brandId: brand.brandId, status: 'open' })
    const err = await rejection(parley.conversations.retrieve(theirs!))
    expect(err).toBeInstanceOf(NotFoundError)
    expect(err).toMatchObject({ code: 'PARLEY_ERR_CONV_NOT_FOUND', status: 404 })
  })

  it('reads a transcript in sequence order across pages, from after `afterSeq`', async () => {
    const convId = 'long-transcript'
    const from = { kind: 'visitor' as const, id: 'v-long' }
    for (let i = 1; i <= 5; i++) {
      const [r] = await relay.deps.store.appendMessages([{ brandId: brand.brandId, convId, clientMsgId: `m${i}`, from, text: `line ${i}`, at: 2_000_000 + i, context: null }])
      expect(r?.ok).toBe(true)
    }
    const pages: number[][] = []
    for await (const page of parley.conversations.messages(convId, { limit: 2 }).pages()) pages.push(page.messages.map((m) => m.seq))
    expect(pages).toEqual([[1, 2], [3, 4], [5]])
    const texts: string[] = []
    for await (const m of parley.conversations.messages(convId, { afterSeq: 2, limit: 2 })) texts.push(m.text)
    expect(texts).toEqual(['line 3', 'line 4', 'line 5'])
  })

  it('masks a text locally with a configuration it is given, sending nothing', async () => {
    const offline = new Parley({ relay: 'http://127.0.0.1:9', apiKey: 'unused', maxRetries: 0 })
    const r = await offline.masking.test('card 4111 1111 1111 1111 thanks', { card: { replacement: '[card]' } })
    expect(r.text).toBe('card [card] thanks')
    expect(r.findings).toEqual([{ detector: 'card', start: 5, end: 24 }])
    const patterns = [{ name: 'order', pattern: 'ORD-[0-9]{6}', replacement: '[order]' }]
    expect((await offline.masking.test('order ORD-123456 shipped', { patterns })).text).toBe('order [order] shipped')
  })

  it('refuses to run a hostile brand pattern locally, as the relay refuses to save it', async () => {
    const offline = new Parley({ relay: 'http://127.0.0.1:9', apiKey: 'unused', maxRetries: 0 })
    const err = await rejection(offline.masking.test(`${'a'.repeat(5000)}b`, { patterns: [{ name: 'hostile', pattern: '(a+)+$' }] }))
    expect(err).toBeInstanceOf(InvalidRequestError)
    expect(err).toMatchObject({ code: 'PARLEY_ERR_MASKING_PATTERN', status: 400, requestId: null })
    expect(err.message).toMatch(/^Brand pattern hostile is refused: /)
  })
})
