import type { PrivacyConfig } from '@parley/sdk/contract'
import type { ConversationErasure, RetentionCutoffs, Store } from '../store/store.js'
import type { Clock } from '../deps.js'
import type { AuditLog } from '../audit/audit-log.js'
import type { BlobStore } from '../attachments/blob-store.js'
import type { Bus } from '../bus/bus.js'
import { emptyWal, RELAY_WAL_RETRY, type WalRetry } from '../masking/mask-existing.js'
import { announce } from './erase-visitor.js'

// Transcript retention: each brand's conversations past the periods of its privacy document are
// erased as an erasure erases them (eraseConversations: content gone, a stub stays), a small batch
// per call with a turn of the event loop between batches, so a brand with years of backlog never
// holds the store or the relay for long. Live chats count from their close, offline form entries
// from when they were left (their own period, by default the transcripts'); open chats and held
// conversations are never touched. A brand whose purge erased anything gets one `retention.purge`
// entry (actor system) with the counts, its attachments' files are deleted; at the end of the pass
// the free pages are scrubbed and the WAL is emptied, so the erased pages do not stay readable there.

const DAY_MS = 24 * 60 * 60 * 1000

/** Conversations erased per store call, by default (one write transaction each: short). */
export const RETENTION_BATCH = 50

/** The cut-offs of `config` at `now`: null for a kind the brand keeps for ever (the default). */
export function retentionCutoffs(now: number, config: PrivacyConfig | null): RetentionCutoffs {
  const chat = config?.transcriptRetentionDays
  const offline = config?.offlineRetentionDays ?? chat
  return {
    chatClosedBefore: chat === undefined ? null : now - chat * DAY_MS,
    offlineCreatedBefore: offline === undefined ? null : now - offline * DAY_MS,
  }
}

/** What a purge pass needs. */
export interface RetentionPurgeDeps {
  store: Pick<Store, 'listBrandIds' | 'getPrivacyConfig' | 'listExpiredConversations' | 'getConversation' | 'eraseConversations' | 'scrubFreePages' | 'truncateWal'>
  clock: Clock
  audit: Pick<AuditLog, 'record'>
  /** Agents' consoles hear of each stub (and of an open offline entry closed); every node forgets the conversations' recent texts. */
  bus?: Pick<Bus, 'publish' | 'publishToNodes'> | undefined
  /** The agents whose chats changed (an open offline entry closed by the purge frees its agent's slot). */
  chatsChanged?: (brandId: string, agentIds: readonly (string | null)[]) => void
  /** Where attachment files live; absent: the relay keeps none. */
  blobs?: Pick<BlobStore, 'delete'> | undefined
  /** Waits between two batches (default: one turn of the event loop). */
  pause?: () => Promise<void>
  /** A file that could not be deleted (the purge goes on; the file is orphaned, its row gone). */
  onBlobError?: (key: string, err: unknown) => void
}

/** How a pass goes. */
export interface RetentionPurgeOptions {
  /** Conversations erased per store call (default RETENTION_BATCH). */
  batch?: number
  /** Brand ids read per page (default 200). */
  brandPage?: number
  /** Aborted: the pass stops after its current batch (the next pass takes up the rest). */
  signal?: AbortSignal
  /** How the WAL is emptied after the pass (default RELAY_WAL_RETRY). */
  walRetry?: WalRetry
}

/** What a pass erased, over every brand. */
export interface RetentionPurgeResult {
  brands: number
  conversations: number
  messages: number
  batches: number
}

type Counts = ConversationErasure['counts']
const ZERO: Counts = { conversations: 0, messages: 0, surveyResponses: 0, contexts: 0, notes: 0, attachments: 0, searchEntries: 0 }

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve))

/** One purge pass over every brand. */
export async function purgeExpiredConversations(deps: RetentionPurgeDeps, opts: RetentionPurgeOptions = {}): Promise<RetentionPurgeResult> {
  const batch = Math.max(1, opts.batch ?? RETENTION_BATCH)
  const brandPage = opts.brandPage ?? 200
  const pause = deps.pause ?? nextTurn
  const stopped = () => opts.signal?.aborted === true
  const result: RetentionPurgeResult = { brands: 0, conversations: 0, messages: 0, batches: 0 }

  async function purgeBrand(brandId: string): Promise<void> {
    const now = deps.clock.now()
    const cutoffs = retentionCutoffs(now, await deps.store.getPrivacyConfig(brandId))
    if (cutoffs.chatClosedBefore === null && cutoffs.offlineCreatedBefore === null) return
    const counts: Counts = { ...ZERO }
    while (!stopped()) {
      const ids = await deps.store.listExpiredConversations(brandId, cutoffs, batch)
      if (ids.length === 0) break
      // Read before the erasure: whether each was open (an unanswered offline entry) and whose it was.
      const headers = deps.bus ? await Promise.all(ids.map((convId) => deps.store.getConversation(brandId, convId))) : []
      const erased = await deps.store.eraseConversations(brandId, ids, now)
      result.batches++
      for (const k of Object.keys(counts) as (keyof Counts)[]) counts[k] += erased.counts[k]
      await deleteBlobs(erased.blobKeys)
      if (deps.bus && erased.erased.length > 0) {
        const done = new Set(erased.erased)
        announce({ bus: deps.bus, chatsChanged: deps.chatsChanged }, brandId, headers.filter((c) => c !== null && done.has(c.convId)).map((c) => c!), now)
        // visitorIds empty: the visitors stay; the nodes forget what they keep of these conversations.
        deps.bus.publishToNodes({ kind: 'visitor-erased', brandId, visitorIds: [], convIds: erased.erased })
      }
      // Nothing erased of what was listed (a hold set meanwhile, or gone): the next list would be the same.
      if (ids.length < batch || erased.erased.length === 0) break
      await pause()
    }
    if (counts.conversations === 0) return
    result.brands++
    result.conversations += counts.conversations
    result.messages += counts.messages
    await deps.audit.record({
      brandId, actor: { kind: 'system', id: null }, action: 'retention.purge', resource: { type: 'conversations', id: null },
      detail: {
        ...counts,
        ...(cutoffs.chatClosedBefore !== null ? { closedBefore: cutoffs.chatClosedBefore } : {}),
        ...(cutoffs.offlineCreatedBefore !== null ? { offlineBefore: cutoffs.offlineCreatedBefore } : {}),
      },
    })
  }

  async function deleteBlobs(keys: readonly string[]): Promise<void> {
    if (!deps.blobs) return
    for (const key of keys) {
      try { await deps.blobs.delete(key) } catch (err) { deps.onBlobError?.(key, err) }
    }
  }

  let after: string | null = null
  while (!stopped()) {
    const brands = await deps.store.listBrandIds(after, brandPage)
    for (const brandId of brands) {
      if (stopped()) break
      await purgeBrand(brandId)
    }
    if (brands.length < brandPage) break
    after = brands[brands.length - 1]!
  }
  // Once per pass, not per batch or brand: the free pages are overwritten (each write of them all
  // costs as much as the freelist is long), then the WAL, which holds the erased rows' earlier
  // copies, is emptied. A pass stopped early does it too, for what it erased.
  if (result.conversations > 0) {
    await deps.store.scrubFreePages()
    await emptyWal(deps.store, opts.walRetry ?? RELAY_WAL_RETRY)
  }
  return result
}
