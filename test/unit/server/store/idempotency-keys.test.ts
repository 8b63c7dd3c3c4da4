import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Store } from '../../../../server/src/store/store.js'
import { STORES, type OpenedStore } from '../../../helpers/stores.js'

// The Store's Idempotency-Key records and brand updates, on every store.

const DAY = 24 * 60 * 60 * 1000
const LEASE = 5 * 60 * 1000

describe.each(STORES)('$name store: idempotency keys', (factory) => {
  let opened: OpenedStore
  let store: Store
  let n = 0
  beforeAll(async () => { opened = await factory.create(); store = opened.store })
  afterAll(async () => { await opened.dispose() })

  const scope = () => ({ brandId: `b_${++n}`, caller: 'brand' })
  const claim = (s: { brandId: string; caller: string }, key: string, fp: string, now: number) =>
    store.claimIdempotencyKey(s, key, fp, now, now - DAY, now - LEASE)

  it('claims a new key, then reports it running, then replays what was stored', async () => {
    const s = scope()
    expect(await claim(s, 'k', 'fp', 1_000_000)).toEqual({ claimed: true })
    expect(await claim(s, 'k', 'fp', 1_000_001)).toEqual({ claimed: false, record: { fingerprint: 'fp', status: null, body: null, createdAt: 1_000_000 } })
    await store.completeIdempotencyKey(s, 'k', 201, '{"a":1}')
    expect(await claim(s, 'k', 'other', 1_000_002)).toEqual({ claimed: false, record: { fingerprint: 'fp', status: 201, body: '{"a":1}', createdAt: 1_000_000 } })
  })

  it('keeps keys apart by brand and by caller', async () => {
    const s = scope()
    expect((await claim(s, 'k', 'fp', 1)).claimed).toBe(true)
    expect((await claim({ ...s, caller: 'agent:a1' }, 'k', 'fp', 1)).claimed).toBe(true)
    expect((await claim(scope(), 'k', 'fp', 1)).claimed).toBe(true)
    expect((await claim(s, 'k', 'fp', 1)).claimed).toBe(false)
  })

  it('lets a released key be claimed again', async () => {
    const s = scope()
    await claim(s, 'k', 'fp', 10)
    await store.releaseIdempotencyKey(s, 'k')
    expect((await claim(s, 'k', 'fp2', 11)).claimed).toBe(true)
  })

  it('does not release a completed key', async () => {
    const s = scope()
    await claim(s, 'k', 'fp', 10)
    await store.completeIdempotencyKey(s, 'k', 200, '{}')
    await store.releaseIdempotencyKey(s, 'k')
    expect((await claim(s, 'k', 'fp', 11)).claimed).toBe(false)
  })

  it('treats a record older than 24 h as gone, and a running one past its lease as abandoned', async () => {
    const s = scope()
    const t = 10 * DAY
    await claim(s, 'done', 'fp', t)
    await store.completeIdempotencyKey(s, 'done', 200, '{}')
    await claim(s, 'running', 'fp', t)
    expect((await claim(s, 'running', 'fp', t + LEASE - 1)).claimed).toBe(false)
    expect((await claim(s, 'running', 'fp', t + LEASE)).claimed).toBe(true)
    expect((await claim(s, 'done', 'fp', t + DAY - 1)).claimed).toBe(false)
    expect((await claim(s, 'done', 'fp2', t + DAY)).claimed).toBe(true)
  })

  it('sweeps the records created at or before the cut-off and keeps the rest', async () => {
    const s = scope()
    await claim(s, 'old', 'fp', 100)
    await claim(s, 'new', 'fp', 200)
    expect(await store.sweepIdempotencyKeys(150)).toBeGreaterThanOrEqual(1)
    // Only the newer one is still there (claims here never treat it as stale).
    expect((await store.claimIdempotencyKey(s, 'new', 'fp', 201, 0, 0)).claimed).toBe(false)
    expect((await store.claimIdempotencyKey(s, 'old', 'fp', 201, 0, 0)).claimed).toBe(true)
  })

  it('renames a brand and replaces its origins; an unknown brand gives null', async () => {
    const brandId = `b_brand_${++n}`
    await store.createBrand({ brandId, name: 'Old', siteKey: `site_${brandId}`, allowedOrigins: ['https://a.example'], apiKeyHash: `h_${brandId}`, createdAt: 1 })
    expect(await store.updateBrand(brandId, { name: 'New' })).toMatchObject({ name: 'New', allowedOrigins: ['https://a.example'] })
    expect(await store.updateBrand(brandId, { allowedOrigins: ['https://b.example', 'https://c.example'] }))
      .toMatchObject({ name: 'New', allowedOrigins: ['https://b.example', 'https://c.example'] })
    expect(await store.isOriginAllowedAnywhere('https://a.example')).toBe(false)
    expect(await store.isOriginAllowedAnywhere('https://b.example')).toBe(true)
    expect(await store.updateBrand('b_nobody', { name: 'X' })).toBeNull()
  })
})
