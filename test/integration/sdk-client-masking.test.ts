import { beforeAll, describe, expect, it } from 'vitest'
import { InvalidRequestError, NotFoundError, Parley, type MaskingRun } from '@parley/sdk'
import type { TestRelay } from '../helpers/start-relay.js'
import { rejection, sdkRelay } from '../helpers/sdk-relay.js'
import { createTestBrand, type TestBrand } from '../helpers/brand.js'

// parley.masking against a real relay: the configuration round-trips, a hostile pattern is refused
// with a typed error, test() masks locally under the saved configuration, and mask-existing runs.


describe('parley.masking against the relay', () => {
  const s = sdkRelay()
  let relay: TestRelay
  let brand: TestBrand
  let parley: Parley
  beforeAll(() => { ({ relay, brand, parley } = s) })

  it('reads {} before anything is saved, then what set saved, merge-patched by update', async () => {
    const fresh = new Parley({ relay: relay.url, apiKey: (await createTestBrand(relay)).apiKey })
    expect(await fresh.masking.get()).toEqual({})
    const config = { card: { keep: 'first6last4' as const }, patterns: [{ name: 'order', pattern: 'ORD-[0-9]{6}' }] }
    expect(await fresh.masking.set(config)).toEqual(config)
    expect(await fresh.masking.get()).toEqual(config)
    expect(await fresh.masking.update({ email: { enabled: true }, patterns: null })).toEqual({ card: { keep: 'first6last4' }, email: { enabled: true } })
    expect(await fresh.masking.get()).toEqual({ card: { keep: 'first6last4' }, email: { enabled: true } })
  })

  it('refuses (a+)+$ with InvalidRequestError PARLEY_ERR_MASKING_PATTERN naming the pattern, saving nothing', async () => {
    await parley.masking.set({ email: { enabled: true } })
    const err = await rejection(parley.masking.set({ patterns: [{ name: 'hostile', pattern: '(a+)+$' }] }))
    expect(err).toBeInstanceOf(InvalidRequestError)
    expect(err).toMatchObject({ code: 'PARLEY_ERR_MASKING_PATTERN', status: 400, retryable: false })
    expect(err.message).toContain('hostile')
    expect(await parley.masking.get()).toEqual({ email: { enabled: true } })
  })

  it('tests a text locally under the saved configuration, brand patterns included', async () => {
    await parley.masking.set({ email: { enabled: true }, patterns: [{ name: 'order', pattern: 'ORD-[0-9]{6}', replacement: '[order]' }] })
    const r = await parley.masking.test('ORD-123456 paid by 4111 1111 1111 1111, mail jo@example.com')
    expect(r.text).toBe('[order] paid by [card], mail [email]')
    expect(r.findings.map((f) => f.detector).sort()).toEqual(['card', 'email', 'pattern:order'])
    // A configuration passed in is used as it is, without reading the saved one.
    expect((await parley.masking.test('mail jo@example.com', {})).text).toBe('mail jo@example.com')
  })

  it('masks stored transcripts with maskExisting and waits for the run with waitForRun', async () => {
    const other = await createTestBrand(relay)
    const sdk = new Parley({ relay: relay.url, apiKey: other.apiKey })
    // Stored straight through the store, as a transcript from before masking would be.
    const [r] = await relay.deps.store.appendMessages([{
      brandId: other.brandId, convId: 'old-conv', clientMsgId: 'old-1', from: { kind: 'visitor', id: 'v-old' },
      text: 'my card is 4111 1111 1111 1111', at: 1_000_000, context: null,
    }])
    expect(r?.ok).toBe(true)
    const started = await sdk.masking.maskExisting()
    const seen: MaskingRun[] = []
    const done = await sdk.masking.waitForRun(started, { intervalMs: 20, onProgress: (run) => seen.push(run) })
    expect(done).toMatchObject({ runId: started.runId, status: 'done' })
    expect(done.changed).toBeGreaterThanOrEqual(1)
    expect(seen.at(-1)).toEqual(done)
    expect(await sdk.masking.runs.retrieve(started.runId)).toEqual(done)
    const texts = (await sdk.conversations.messages('old-conv').toArray()).map((m) => m.text)
    expect(texts).toEqual(['my card is [card]'])
    const err = await rejection(parley.masking.runs.retrieve(started.runId))
    expect(err).toBeInstanceOf(NotFoundError)
    expect(err.status).toBe(404)
  })

  it('stops waiting for a run, not the run, when its signal aborts', async () => {
    const running: MaskingRun = { runId: 'never-read', status: 'running', startedAt: 0, finishedAt: null, scanned: 0, changed: 0 }
    const controller = new AbortController()
    const waiting = parley.masking.waitForRun(running, { intervalMs: 60_000, signal: controller.signal })
    controller.abort('enough')
    await expect(waiting).rejects.toBe('enough')
  })
})
