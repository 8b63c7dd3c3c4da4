import type { ErasureReceipt, SelectorKind, VisitorSelector } from '@parley/sdk/contract'
import type { ErasureRequestRecord } from './store.js'

// The erasure_requests rows as both stores read them: SQLite keeps the selector and the receipt as
// JSON text, PostgreSQL as jsonb; the columns are otherwise the same.

/** An erasure_requests row. */
export interface ErasureRequestRow {
  brand_id: string
  request_id: string
  status: ErasureRequestRecord['status']
  selector_kind: SelectorKind
  selector: string | VisitorSelector | null
  requested_at: number
  requested_by: string
  run_at: number
  cancelled_at: number | null
  receipt: string | ErasureReceipt | null
}

const json = <T>(v: string | T | null): T | null => (typeof v === 'string' ? JSON.parse(v) as T : v)

/** The request a row holds. */
export function toErasureRequest(r: ErasureRequestRow): ErasureRequestRecord {
  return {
    brandId: r.brand_id, requestId: r.request_id, status: r.status, selectorKind: r.selector_kind, selector: json(r.selector),
    requestedAt: r.requested_at, requestedBy: r.requested_by, runAt: r.run_at, cancelledAt: r.cancelled_at, receipt: json(r.receipt),
  }
}
