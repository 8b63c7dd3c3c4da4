import type { ErasureReceipt, ErasureRequest } from '@parley/sdk/contract'
import type { ErasureRequestRecord, Store } from '../store/store.js'
import { eraseVisitorData, type EraseDeps } from './erase-visitor.js'

// Scheduled erasure requests: each one, once its grace period is over, erased as an immediate one
// is (erase-visitor.ts), then marked done with its receipt. A visitor no longer found by then (erased
// meanwhile by another request) gives a receipt of nothing removed: the request is still done.

/** What running scheduled requests needs: an erasure's deps and the request methods of the store. */
export interface ErasureRequestDeps extends EraseDeps {
  store: EraseDeps['store'] & Pick<Store, 'getErasureRequest' | 'dueErasureRequests' | 'completeErasureRequest'>
}

/** How many due requests one sweep takes before it looks again. */
export const DUE_BATCH = 20

/** The REST shape of a stored request: the selector's kind only, never its value. */
export function toErasureRequest(r: ErasureRequestRecord): ErasureRequest {
  return {
    requestId: r.requestId, status: r.status, selector: r.selectorKind, requestedAt: r.requestedAt, requestedBy: r.requestedBy,
    runAt: r.runAt, cancelledAt: r.cancelledAt, receipt: r.receipt,
  }
}

/** Runs one scheduled request; null when it is no longer scheduled (cancelled, or run by another node). */
export async function runErasureRequest(deps: ErasureRequestDeps, brandId: string, requestId: string): Promise<ErasureReceipt | null> {
  const r = await deps.store.getErasureRequest(brandId, requestId)
  if (!r || r.status !== 'scheduled' || r.selector === null) return null
  const visitorIds = await deps.store.findVisitorIds(brandId, r.selector)
  const receipt = await eraseVisitorData(deps, {
    brandId, requestId, selector: { kind: r.selectorKind, visitorIds }, requestedAt: r.requestedAt, actor: { kind: 'system', id: null },
  })
  return await deps.store.completeErasureRequest(brandId, requestId, receipt) ? receipt : null
}

/**
 * Runs every request due at the clock's now, a batch at a time; resolves how many it ran. One that
 * fails is reported to `onFailed` and left scheduled for the next sweep: it must not keep the
 * requests behind it from running (it would be first again every sweep).
 */
export async function runDueErasures(deps: ErasureRequestDeps, signal?: AbortSignal, onFailed?: (failed: { brandId: string; requestId: string; code: string }) => void): Promise<number> {
  let ran = 0
  for (;;) {
    const due = await deps.store.dueErasureRequests(deps.clock.now(), DUE_BATCH)
    const before = ran
    for (const d of due) {
      if (signal?.aborted) return ran
      try {
        if (await runErasureRequest(deps, d.brandId, d.requestId)) ran++
      } catch (err) {
        onFailed?.({ brandId: d.brandId, requestId: d.requestId, code: errorCode(err) })
      }
    }
    // A full batch of which none completed would come back the same: leave it to the next sweep.
    if (due.length < DUE_BATCH || ran === before) return ran
  }
}

/** What a log may say of an error: its code, else its class name (never its message, which may quote a value). */
function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : err instanceof Error ? err.name : 'unknown'
}
