import { type ErasureRequestRow, toErasureRequest } from '../erasure-request-rows.js'
import type { ErasureRequestRecord, Store } from '../store.js'
import type { PgDb } from './db.js'
import { jsonb } from './rows.js'

// Erasure requests (schema/006-data-rights.ts): scheduled with a grace period, cancelled within it,
// or done with their receipt. The selector may be an e-mail, so it is kept only while the request
// waits. The due requests of every brand are claimed by parley_claim_erasure_requests (ids only).

type ErasureRequestMethods = Pick<Store, 'createErasureRequest' | 'getErasureRequest' | 'listErasureRequests' | 'cancelErasureRequest' | 'claimDueErasureRequests' | 'completeErasureRequest'>


const COLUMNS = 'brand_id, request_id, status, selector_kind, selector, requested_at, requested_by, run_at, cancelled_at, receipt'

/** The Store's erasure request methods over `db`. */
export function createErasureRequests(db: PgDb): ErasureRequestMethods {
  return {
    async createErasureRequest(r) {
      await db.tx(r.brandId, (tx) => tx.run(`INSERT INTO erasure_requests (${COLUMNS}) VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9, $10::jsonb)`,
        [r.brandId, r.requestId, r.status, r.selectorKind, jsonb(r.selector), r.requestedAt, r.requestedBy, r.runAt, r.cancelledAt, jsonb(r.receipt)]))
    },
    async getErasureRequest(brandId, requestId) {
      const row = await db.tx(brandId, (tx) => tx.one<ErasureRequestRow>(`SELECT ${COLUMNS} FROM erasure_requests WHERE brand_id = $1 AND request_id = $2`, [brandId, requestId]))
      return row ? toErasureRequest(row) : null
    },
    async listErasureRequests(brandId, limit) {
      const rows = await db.tx(brandId, (tx) => tx.rows<ErasureRequestRow>(`SELECT ${COLUMNS} FROM erasure_requests WHERE brand_id = $1
        ORDER BY requested_at DESC, request_id COLLATE "C" DESC LIMIT $2`, [brandId, Math.max(0, limit)]))
      return rows.map(toErasureRequest)
    },
    async cancelErasureRequest(brandId, requestId, at) {
      return db.tx(brandId, async (tx) => {
        // Once its time has come the sweep may be running it: only a request still in its grace period is cancelled.
        const row = await tx.one<ErasureRequestRow>(`UPDATE erasure_requests SET status = 'cancelled', cancelled_at = $3, selector = NULL
          WHERE brand_id = $1 AND request_id = $2 AND status = 'scheduled' AND run_at > $3 RETURNING ${COLUMNS}`, [brandId, requestId, at])
        if (row) return { ok: true as const, request: toErasureRequest(row) }
        const found = await tx.one<{ status: ErasureRequestRecord['status'] }>('SELECT status FROM erasure_requests WHERE brand_id = $1 AND request_id = $2', [brandId, requestId])
        if (!found) return { ok: false as const, code: 'PARLEY_ERR_ERASURE_NOT_FOUND' as const }
        return { ok: false as const, code: 'PARLEY_ERR_ERASURE_NOT_CANCELLABLE' as const, status: found.status }
      })
    },
    async claimDueErasureRequests(now, limit, leaseUntil) {
      const rows = await db.tx(null, (tx) => tx.rows<{ brand_id: string; request_id: string }>(
        'SELECT brand_id, request_id FROM parley_claim_erasure_requests($1, $2, $3)', [now, limit, leaseUntil]))
      return rows.map((r) => ({ brandId: r.brand_id, requestId: r.request_id }))
    },
    async completeErasureRequest(brandId, requestId, receipt) {
      return await db.tx(brandId, (tx) => tx.run(`UPDATE erasure_requests SET status = 'done', receipt = $3::jsonb, selector = NULL
        WHERE brand_id = $1 AND request_id = $2 AND status = 'scheduled'`, [brandId, requestId, jsonb(receipt)])) > 0
    },
  }
}
