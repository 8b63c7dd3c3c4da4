import type { SecurityConfig } from '@parley/sdk/contract'
import type { Store } from '../store/store.js'
import type { Clock } from '../deps.js'
import type { AuditLog } from './audit-log.js'

// The audit log's retention, kept apart from transcripts': each brand's entries older than its
// `auditRetentionDays` (default 365) are deleted, a small batch per transaction, yielding to the
// event loop between batches so a backlog never holds the store or the relay for long. A brand whose
// entries were purged gets one `retention.purge` entry (actor system) with the count, so the log
// says when and how much of itself was removed. The same pass drops refusals of token ids (signed-out
// visitor sessions, used identity tokens) whose tokens have expired anyway.

/** Days an audit entry is kept when the brand's settings name none. */
export const DEFAULT_AUDIT_RETENTION_DAYS = 365
const DAY_MS = 24 * 60 * 60 * 1000

/** Entries older than this (ms since the epoch) are past the brand's retention at `now`. */
export function auditCutoff(now: number, config: SecurityConfig | null): number {
  return now - (config?.auditRetentionDays ?? DEFAULT_AUDIT_RETENTION_DAYS) * DAY_MS
}

/** What a retention pass needs. */
export interface AuditRetentionDeps {
  store: Pick<Store, 'listBrandIds' | 'purgeAudit' | 'pruneRevokedTokenIds'>
  clock: Clock
  audit: Pick<AuditLog, 'record'>
  /** The brand's security settings (cached by the caller). */
  settings(brandId: string): Promise<SecurityConfig | null>
  /** Waits between two batches (default: one turn of the event loop). */
  pause?: () => Promise<void>
}

/** How a pass goes. */
export interface AuditRetentionOptions {
  /** Rows deleted per statement (default 500). */
  batch?: number
  /** Brand ids read per page (default 200). */
  brandPage?: number
  /** Aborted: the pass stops after its current batch (the next pass takes up the rest). */
  signal?: AbortSignal
}

/** What a pass removed. */
export interface AuditRetentionResult {
  brands: number
  entries: number
  tokenIds: number
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve))

/** One retention pass over every brand. */
export async function purgeExpiredAudit(deps: AuditRetentionDeps, opts: AuditRetentionOptions = {}): Promise<AuditRetentionResult> {
  const batch = opts.batch ?? 500
  const brandPage = opts.brandPage ?? 200
  const pause = deps.pause ?? nextTurn
  const stopped = () => opts.signal?.aborted === true
  const result: AuditRetentionResult = { brands: 0, entries: 0, tokenIds: 0 }

  // Deletes in batches until one comes back short; returns the total.
  async function drain(step: () => Promise<number>): Promise<number> {
    let total = 0
    while (!stopped()) {
      const n = await step()
      total += n
      if (n < batch) break
      await pause()
    }
    return total
  }

  let after: string | null = null
  while (!stopped()) {
    const brands = await deps.store.listBrandIds(after, brandPage)
    for (const brandId of brands) {
      if (stopped()) break
      const before = auditCutoff(deps.clock.now(), await deps.settings(brandId))
      const n = await drain(() => deps.store.purgeAudit(brandId, before, batch))
      if (n === 0) continue
      result.brands++
      result.entries += n
      await deps.audit.record({
        brandId, actor: { kind: 'system', id: null }, action: 'retention.purge', resource: { type: 'audit', id: null },
        detail: { count: n, before },
      })
      await pause()
    }
    if (brands.length < brandPage) break
    after = brands[brands.length - 1]!
  }
  result.tokenIds = await drain(() => deps.store.pruneRevokedTokenIds(deps.clock.now(), batch))
  return result
}
