import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ErasureReceipt } from '@parley/sdk/contract'
import type { ErasureRequestRecord, Store } from '../../../../server/src/store/store.js'
import { STORES, type OpenedStore } from '../../../helpers/stores.js'
import { createStoreBrand } from '../../../helpers/brand.js'

// Erasure requests in the store: scheduled with a grace period, cancellable only within it, done
// with their receipt; the selector (maybe an e-mail) is forgotten once the request is no longer waiting.

const id = (prefix: string) => `${prefix}${randomBytes(8).toString('hex')}`

/** Times of this file's requests: well past the due-sweep test's, which reads the whole table. */
const T = 5_000_000

describe.each(STORES)('$name store: erasure requests', (factory) => {
  let opened: OpenedStore
  let store: Store
  beforeAll(async () => { opened = await factory.create(); store = opened.store })
  afterAll(async () => { await opened.dispose() })

  const request = (brandId: string, over: Partial<ErasureRequestRecord> = {}): ErasureRequestRecord => ({
    brandId, requestId: id('er_'), status: 'scheduled', selectorKind: 'email', selector: { email: 'vera@example.com' },
    requestedAt: T, requestedBy: 'agent:a_1', runAt: T + 86_400_000, cancelledAt: null, receipt: null, ...over,
  })
  const receipt = (r: ErasureRequestRecord): ErasureReceipt => ({
    requestId: r.requestId, brandId: r.brandId, selector: r.selectorKind, visitorIds: ['v_1'], held: [], requestedAt: r.requestedAt, erasedAt: r.runAt,
    removed: { visitors: 1, customers: 0, conversations: 2, messages: 7, surveyResponses: 1, contexts: 2, consentEvents: 0, notes: 0, attachments: 0, searchEntries: 7 },
  })

  it('stores a scheduled request and reads it back with its selector', async () => {
    const brandId = await createStoreBrand(store)
    const r = request(brandId)
    await store.createErasureRequest(r)
    expect(await store.getErasureRequest(brandId, r.requestId)).toEqual(r)
    expect(await store.getErasureRequest(brandId, id('er_'))).toBeNull()
  })

  it('lists the brand’s requests newest first, at most `limit`, and no other brand’s', async () => {
    const brandId = await createStoreBrand(store)
    const other = await createStoreBrand(store)
    const rs = [1, 3, 2].map((n) => request(brandId, { requestedAt: T + n }))
    for (const r of rs) await store.createErasureRequest(r)
    await store.createErasureRequest(request(other, { requestedAt: T + 4 }))
    expect((await store.listErasureRequests(brandId, 10)).map((r) => r.requestedAt)).toEqual([T + 3, T + 2, T + 1])
    expect((await store.listErasureRequests(brandId, 2)).map((r) => r.requestId)).toEqual([rs[1]!.requestId, rs[2]!.requestId])
  })

  it('cancels a request within its grace period and forgets its selector', async () => {
    const brandId = await createStoreBrand(store)
    const r = request(brandId)
    await store.createErasureRequest(r)
    const cancelled = { ...r, status: 'cancelled' as const, cancelledAt: T + 10, selector: null }
    expect(await store.cancelErasureRequest(brandId, r.requestId, T + 10)).toEqual({ ok: true, request: cancelled })
    expect(await store.getErasureRequest(brandId, r.requestId)).toEqual(cancelled)
    expect(await store.cancelErasureRequest(brandId, r.requestId, T + 20)).toEqual({ ok: false, code: 'PARLEY_ERR_ERASURE_NOT_CANCELLABLE', status: 'cancelled' })
  })

  it('refuses to cancel once the request is due, or done, with ERASURE_NOT_CANCELLABLE', async () => {
    const brandId = await createStoreBrand(store)
    const due = request(brandId)
    await store.createErasureRequest(due)
    expect(await store.cancelErasureRequest(brandId, due.requestId, due.runAt)).toEqual({ ok: false, code: 'PARLEY_ERR_ERASURE_NOT_CANCELLABLE', status: 'scheduled' })
    const done = request(brandId)
    await store.createErasureRequest(done)
    expect(await store.completeErasureRequest(brandId, done.requestId, receipt(done))).toBe(true)
    expect(await store.cancelErasureRequest(brandId, done.requestId, T)).toEqual({ ok: false, code: 'PARLEY_ERR_ERASURE_NOT_CANCELLABLE', status: 'done' })
  })

  it('answers ERASURE_NOT_FOUND for an unknown request and for another brand’s', async () => {
    const brandId = await createStoreBrand(store)
    const other = await createStoreBrand(store)
    const r = request(brandId)
    await store.createErasureRequest(r)
    expect(await store.cancelErasureRequest(other, r.requestId, T)).toEqual({ ok: false, code: 'PARLEY_ERR_ERASURE_NOT_FOUND' })
    expect(await store.cancelErasureRequest(brandId, id('er_'), T)).toEqual({ ok: false, code: 'PARLEY_ERR_ERASURE_NOT_FOUND' })
    expect((await store.getErasureRequest(brandId, r.requestId))!.status).toBe('scheduled')
  })

  it('completes a scheduled request once, with its receipt, and forgets its selector', async () => {
    const brandId = await createStoreBrand(store)
    const r = request(brandId)
    await store.createErasureRequest(r)
    expect(await store.completeErasureRequest(brandId, r.requestId, receipt(r))).toBe(true)
    expect(await store.getErasureRequest(brandId, r.requestId)).toEqual({ ...r, status: 'done', selector: null, receipt: receipt(r) })
    expect(await store.completeErasureRequest(brandId, r.requestId, receipt(r))).toBe(false)
    const cancelled = request(brandId)
    await store.createErasureRequest(cancelled)
    await store.cancelErasureRequest(brandId, cancelled.requestId, T)
    expect(await store.completeErasureRequest(brandId, cancelled.requestId, receipt(cancelled))).toBe(false)
  })

  const ids = (rs: { brandId: string; requestId: string }[]) => rs.map((r) => `${r.brandId}/${r.requestId}`)

  it('claims the scheduled requests of every brand that are due, oldest first, at most `limit`', async () => {
    const [b1, b2] = [await createStoreBrand(store), await createStoreBrand(store)]
    // Times below every other test's, so the sweep of the whole table sees only these.
    const early = request(b2, { runAt: 100 })
    const later = request(b1, { runAt: 200 })
    const notYet = request(b1, { runAt: 400 })
    const cancelled = request(b1, { runAt: 300 })
    for (const r of [later, early, notYet, cancelled]) await store.createErasureRequest(r)
    await store.cancelErasureRequest(b1, cancelled.requestId, 50)
    // A lease until `now` runs out at once: each claim sees what the one before took.
    expect(ids(await store.claimDueErasureRequests(350, 10, 350))).toEqual(ids([early, later]))
    expect(ids(await store.claimDueErasureRequests(350, 1, 350))).toEqual(ids([early]))
    await store.completeErasureRequest(b2, early.requestId, receipt(early))
    expect(ids(await store.claimDueErasureRequests(350, 10, 350))).toEqual(ids([later]))
    // Out of the way of the later tests' sweeps.
    for (const r of [later, notYet]) await store.completeErasureRequest(b1, r.requestId, receipt(r))
  })

  it('leases what it claims: no claim takes it again until the lease runs out, and it still reads as scheduled', async () => {
    const brandId = await createStoreBrand(store)
    const r = request(brandId, { runAt: 600 })
    await store.createErasureRequest(r)
    expect(ids(await store.claimDueErasureRequests(700, 10, 1_000))).toEqual(ids([r]))
    expect(await store.claimDueErasureRequests(999, 10, 2_000)).toEqual([])
    expect(await store.getErasureRequest(brandId, r.requestId)).toEqual(r)
    expect(await store.cancelErasureRequest(brandId, r.requestId, 999)).toEqual({ ok: false, code: 'PARLEY_ERR_ERASURE_NOT_CANCELLABLE', status: 'scheduled' })
    // Its node died mid-way: once the lease ran out, another sweep takes it up.
    expect(ids(await store.claimDueErasureRequests(1_000, 10, 2_000))).toEqual(ids([r]))
    expect(await store.completeErasureRequest(brandId, r.requestId, receipt(r))).toBe(true)
    expect(await store.claimDueErasureRequests(3_000, 10, 4_000)).toEqual([])
  })

  it('never gives the same request to two claims made at once', async () => {
    const brandId = await createStoreBrand(store)
    const rs = Array.from({ length: 12 }, (_, i) => request(brandId, { runAt: 5_000 + i }))
    for (const r of rs) await store.createErasureRequest(r)
    const claims = await Promise.all(Array.from({ length: 4 }, () => store.claimDueErasureRequests(6_000, 5, 9_000)))
    const all = claims.flatMap(ids)
    expect(new Set(all).size).toBe(all.length)
    expect(all.sort()).toEqual(ids(rs).sort())
    for (const r of rs) await store.completeErasureRequest(brandId, r.requestId, receipt(r))
  })
})
