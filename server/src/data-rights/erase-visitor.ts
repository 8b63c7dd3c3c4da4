import type { AuditActor, ConversationClosed, ConversationErased, ErasedCounts, ErasureReceipt, SelectorKind, VisitorSelector } from '@parley/sdk/contract'
import type { BlobStore } from '../attachments/blob-store.js'
import type { Bus } from '../bus/bus.js'
import type { Clock } from '../deps.js'
import { emptyWal, RELAY_WAL_RETRY, type WalRetry } from '../masking/mask-existing.js'
import type { Store, VisitorConversationRecord } from '../store/store.js'
import { appendErasure, ERASE_BATCH } from './erasure-ledger.js'
import { resolveVisitors, selectorKind } from './resolve-visitors.js'

// One erasure, end to end: the ledger line first (so a restore or a crash mid-way can finish it),
// then the store in batches (a stub of each conversation stays), the attachment files, every node's
// caches and live connections (the `visitor-erased` note), the agents' views, the free pages and the WAL. The
// receipt says what went, in counts and ids only; so does the audit entry.

/** What an erasure runs on. */
export interface EraseDeps {
  store: Pick<Store, 'findVisitorIds' | 'listVisitorConversations' | 'eraseConversations' | 'eraseVisitor' | 'revokeTokenIds' | 'scrubFreePages' | 'truncateWal'>
  bus: Pick<Bus, 'publish' | 'publishToNodes'>
  clock: Clock
  /** Where attachment bytes live; without one, there are none to delete. */
  blobs?: BlobStore | undefined
  /** How long a visitor token lives (limits.visitorTokenTtlSeconds, in ms): an erased visitor's are refused that long. */
  visitorTokenTtlMs: number
  /** The erasure ledger's path; null keeps none (tests that do not restore). */
  ledger: string | null
  /** Records the `data.erase` entry (audit/audit-log.ts record). */
  audit(entry: { brandId: string; actor: AuditActor; action: 'data.erase'; resource: { type: string; id: string }; detail: Record<string, string | number | boolean>; ip?: string | null }): Promise<void>
  /** The agents whose chats changed (the status board recounts their free slots). */
  chatsChanged?: (brandId: string, agentIds: readonly (string | null)[]) => void
  /** How the freed pages are cleared from the WAL (default RELAY_WAL_RETRY). */
  walRetry?: WalRetry
  /** A blob that could not be deleted (it stays, unreferenced; never a reason to fail the erasure). */
  onBlobError?: (err: unknown, key: string) => void
  /** The erasure is done (a `visitor.erased` webhook goes out). */
  onErased?: (receipt: ErasureReceipt) => void
}

/** One erasure to run: the visitor named by a selector, or visitor ids resolved before. */
export interface EraseInput {
  brandId: string
  requestId: string
  selector: VisitorSelector | { kind: SelectorKind; visitorIds: readonly string[] }
  requestedAt: number
  actor: AuditActor
  ip?: string | null
}

/** How many conversations one listing page reads. */
const LIST_PAGE = 500

/** The relay, as who closed a conversation an erasure ended. */
const RELAY = { kind: 'system', id: 'relay' } as const

/** Erases the visitor's data on every store, cache and node; resolves with the receipt (PARLEY_ERR_VISITOR_NOT_FOUND when none matches). */
export async function eraseVisitorData(deps: EraseDeps, input: EraseInput): Promise<ErasureReceipt> {
  const { store } = deps
  const { brandId, selector } = input
  const kind = 'kind' in selector ? selector.kind : selectorKind(selector)
  const visitorIds = 'kind' in selector ? [...selector.visitorIds] : await resolveVisitors(store, brandId, selector)
  // Their connections close first (every node), so they can't start a conversation the listing misses.
  deps.bus.publishToNodes({ kind: 'visitor-erased', brandId, visitorIds, convIds: [] })
  const at = deps.clock.now()
  const removed: ErasedCounts = { visitors: 0, customers: 0, conversations: 0, messages: 0, surveyResponses: 0, contexts: 0, consentEvents: 0, notes: 0, attachments: 0, searchEntries: 0 }
  const conversations: VisitorConversationRecord[] = []
  const erased: string[] = []
  const held = new Set<string>()
  const blobKeys: string[] = []
  // A second pass catches a conversation a tab opened on another node before its close arrived.
  for (let pass = 0; pass < 2; pass++) {
    const pending = (await listAll(store, brandId, visitorIds)).filter((c) => c.erasedAt === null && !held.has(c.convId))
    if (pass > 0 && pending.length === 0) break
    conversations.push(...pending)
    if (deps.ledger !== null) {
      // Not the conversations held now: replayed into an older backup, the line would erase what
      // the live system kept under the hold. (One held after this listing stays held: the store skips it.)
      const convIds = pending.filter((c) => c.legalHold === null).map((c) => c.convId)
      await appendErasure(deps.ledger, { v: 1, brandId, requestId: input.requestId, visitorIds, convIds, at })
    }
    for (let i = 0; i < pending.length; i += ERASE_BATCH) {
      const done = await store.eraseConversations(brandId, pending.slice(i, i + ERASE_BATCH).map((c) => c.convId), at)
      erased.push(...done.erased)
      for (const id of done.held) held.add(id)
      blobKeys.push(...done.blobKeys)
      for (const k of Object.keys(done.counts) as (keyof typeof done.counts)[]) removed[k] += done.counts[k]
    }
  }
  // A visitor away at erasure time still holds a token (and a saved history): hello refuses it from
  // now on (visitor-session.ts), so the widget starts over as a new visitor, not under the erased id.
  await store.revokeTokenIds(brandId, visitorIds.map((id) => ({ id: erasedVisitorTokenId(id), until: at + deps.visitorTokenTtlMs })))
  for (const visitorId of visitorIds) {
    const done = await store.eraseVisitor(brandId, visitorId, at)
    for (const k of Object.keys(done) as (keyof typeof done)[]) removed[k] += done[k]
  }
  for (const key of blobKeys) await deps.blobs?.delete(key).catch((err: unknown) => deps.onBlobError?.(err, key))

  const erasedNow = new Set(erased)
  announce(deps, brandId, conversations.filter((c) => erasedNow.has(c.convId)), at)
  deps.bus.publishToNodes({ kind: 'visitor-erased', brandId, visitorIds, convIds: erased })
  // Pages freed before without zeroing are overwritten once, for the whole erasure (not per batch);
  // the erased rows' old bytes may still sit in WAL frames until a checkpoint overwrites them.
  if (removed.conversations > 0) await store.scrubFreePages()
  await emptyWal(store, deps.walRetry ?? RELAY_WAL_RETRY)

  const receipt: ErasureReceipt = { requestId: input.requestId, brandId, selector: kind, visitorIds, removed, held: [...held], requestedAt: input.requestedAt, erasedAt: at }
  await deps.audit({
    brandId, actor: input.actor, action: 'data.erase', resource: { type: 'erasure', id: input.requestId },
    detail: { selector: kind, held: held.size, ...removed }, ip: input.ip ?? null,
  })
  deps.onErased?.(receipt)
  return receipt
}

/** The revoked-token id that refuses every token of an erased visitor (their ids never mix with sids or digests). */
export function erasedVisitorTokenId(visitorId: string): string {
  return `visitor:${visitorId}`
}

/** Tells the agents (and queues) what changed: open conversations closed, every erased one a stub now (the retention purge's too). */
export function announce(deps: Pick<EraseDeps, 'bus' | 'chatsChanged'>, brandId: string, convs: readonly Pick<VisitorConversationRecord, 'convId' | 'visitorId' | 'status' | 'assignedAgentId'>[], at: number): void {
  for (const c of convs) {
    if (c.status === 'open') {
      const closed: ConversationClosed = { type: 'conversation.closed', convId: c.convId, by: RELAY, at }
      // Every agent hears of it (a waiting chat leaves their queues).
      deps.bus.publish({ brandId, audience: { kind: 'brand', convId: c.convId, visitorId: c.visitorId }, frame: closed })
    }
    // Every online agent: a closed conversation has no followers left, yet a console may still show it.
    const frame: ConversationErased = { type: 'conversation.erased', convId: c.convId, erasedAt: at }
    deps.bus.publish({ brandId, audience: { kind: 'agents' }, frame })
  }
  const freed = convs.filter((c) => c.status === 'open').map((c) => c.assignedAgentId)
  if (freed.length > 0) deps.chatsChanged?.(brandId, freed)
}

async function listAll(store: EraseDeps['store'], brandId: string, visitorIds: readonly string[]): Promise<VisitorConversationRecord[]> {
  const all: VisitorConversationRecord[] = []
  let after: { createdAt: number; convId: string } | null = null
  for (;;) {
    const page = await store.listVisitorConversations(brandId, visitorIds, after, LIST_PAGE)
    all.push(...page)
    if (page.length < LIST_PAGE) return all
    const last = page[page.length - 1]!
    after = { createdAt: last.createdAt, convId: last.convId }
  }
}
