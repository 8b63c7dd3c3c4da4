import type Database from 'better-sqlite3'
import { type ErasureRequestRow, toErasureRequest } from '../erasure-request-rows.js'
import type { ErasureRequestRecord, Store } from '../store.js'

// Erasure requests (migration 16): scheduled with a grace period, cancelled within it, or done with
// their receipt. The selector may be an e-mail, so it is kept only while the request waits. A due
// one is claimed with a lease (lease_until) before it runs: one UPDATE … RETURNING, which no other
// writer (a worker thread, an admin command on the same file) can interleave with.

type ErasureRequestMethods = Pick<Store, 'createErasureRequest' | 'getErasureRequest' | 'listErasureRequests' | 'cancelErasureRequest' | 'claimDueErasureRequests' | 'completeErasureRequest'>

/** Byte order, as SQLite's BINARY collation compares the ids. */
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** The erasure request methods of the SQLite store. */
export function createErasureRequests(db: Database.Database): ErasureRequestMethods {
  const q = {
    insert: db.prepare(`INSERT INTO erasure_requests (brand_id, request_id, status, selector_kind, selector, requested_at, requested_by, run_at, cancelled_at, receipt)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    get: db.prepare<[string, string], ErasureRequestRow>('SELECT * FROM erasure_requests WHERE brand_id = ? AND request_id = ?'),
    list: db.prepare<[string, number], ErasureRequestRow>('SELECT * FROM erasure_requests WHERE brand_id = ? ORDER BY requested_at DESC, request_id DESC LIMIT ?'),
    cancel: db.prepare(`UPDATE erasure_requests SET status = 'cancelled', cancelled_at = ?, selector = NULL
      WHERE brand_id = ? AND request_id = ? AND status = 'scheduled' AND run_at > ?`),
    claim: db.prepare<{ now: number; limit: number; leaseUntil: number }, { brand_id: string; request_id: string; run_at: number }>(`
      UPDATE erasure_requests SET lease_until = @leaseUntil WHERE (brand_id, request_id) IN (SELECT brand_id, request_id FROM erasure_requests
        WHERE status = 'scheduled' AND run_at <= @now AND (lease_until IS NULL OR lease_until <= @now)
        ORDER BY run_at, brand_id, request_id LIMIT @limit)
      RETURNING brand_id, request_id, run_at`),
    complete: db.prepare(`UPDATE erasure_requests SET status = 'done', receipt = ?, selector = NULL
      WHERE brand_id = ? AND request_id = ? AND status = 'scheduled'`),
  }
  const cancelTx = db.transaction((brandId: string, requestId: string, at: number) => {
    if (q.cancel.run(at, brandId, requestId, at).changes > 0) return { ok: true as const, request: toErasureRequest(q.get.get(brandId, requestId)!) }
    const row = q.get.get(brandId, requestId)
    if (!row) return { ok: false as const, code: 'PARLEY_ERR_ERASURE_NOT_FOUND' as const }
    return { ok: false as const, code: 'PARLEY_ERR_ERASURE_NOT_CANCELLABLE' as const, status: row.status }
  })
  return {
    async createErasureRequest(r) {
      q.insert.run(r.brandId, r.requestId, r.status, r.selectorKind, r.selector === null ? null : JSON.stringify(r.selector),
        r.requestedAt, r.requestedBy, r.runAt, r.cancelledAt, r.receipt === null ? null : JSON.stringify(r.receipt))
    },
    async getErasureRequest(brandId, requestId) { const r = q.get.get(brandId, requestId); return r ? toErasureRequest(r) : null },
    async listErasureRequests(brandId, limit) { return q.list.all(brandId, Math.max(0, limit)).map(toErasureRequest) },
    async cancelErasureRequest(brandId, requestId, at) { return cancelTx.immediate(brandId, requestId, at) },
    async claimDueErasureRequests(now, limit, leaseUntil) {
      // RETURNING gives the rows in no promised order.
      const rows = q.claim.all({ now, limit: Math.max(0, limit), leaseUntil })
      rows.sort((a, b) => a.run_at - b.run_at || compare(a.brand_id, b.brand_id) || compare(a.request_id, b.request_id))
      return rows.map((r) => ({ brandId: r.brand_id, requestId: r.request_id }))
    },
    async completeErasureRequest(brandId, requestId, receipt) {
      return q.complete.run(JSON.stringify(receipt), brandId, requestId).changes > 0
    },
  }
}
