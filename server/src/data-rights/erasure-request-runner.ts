import type { ErasureReceipt, ErasureRequest } from '@parley/sdk/contract'
import type { ErasureRequestRecord, Store } from '../store/store.js'
import { eraseVisitorData, type EraseDeps } from './erase-visitor.js'

// Scheduled erasure requests: each one, once its grace period is over, erased as an immediate one
// is (erase-visitor.ts), then marked done with its receipt. A visitor no longer found by then (erased
// meanwhile by another request) gives a receipt of nothing removed: the request is still done.

/** What running scheduled requests needs: an erasure's deps and the request methods of the store. */
export interface ErasureRequestDeps extends EraseDeps {
  store: EraseDeps['store'] & Pick<Store, 'getErasureRequest' | 'claimDueErasureRequests' | 'completeErasureRequest'>
}

/** How long a claimed request is held by the node running it: longer than any erasure takes. */
const ERASURE_LEASE_MS = 15 * 60_000

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
 * Runs every request due at the clock's now, one claim at a time; resolves how many it ran. Each
 * is claimed with a lease first, so the sweeps of other nodes pass it by while this one runs it.
 * One that fails is reported to `onFailed` and keeps its lease until it runs out, then a sweep takes
 * it again: meanwhile it does not keep the requests behind it from running.
 */
export async function runDueErasures(deps: ErasureRequestDeps, signal?: AbortSignal, onFailed?: (failed: { brandId: string; requestId: string; code: string }) => void): Promise<number> {
  let ran = 0
  while (!signal?.aborted) {
    const now = deps.clock.now()
    const [due] = await deps.store.claimDueErasureRequests(now, 1, now + ERASURE_LEASE_MS)
    if (!due) break
    try {
      if (await runErasureRequest(deps, due.brandId, due.requestId)) ran++
    } catch (err) {
      onFailed?.({ brandId: due.brandId, requestId: due.requestId, code: errorCode(err) })
    }
  }
  return ran
}

/** What a log may say of an error: its code, else its class name (never its message, which may quote a value). */
function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : err instanceof Error ? err.name : 'unknown'
}
