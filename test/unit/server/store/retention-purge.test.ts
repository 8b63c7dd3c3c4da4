import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Participant, PrivacyConfig } from '@parley/sdk/contract'
import type { Store } from '../../../../server/src/store/store.js'
import { STORES, type OpenedStore } from '../../../helpers/stores.js'
import { createStoreBrand } from '../../../helpers/brand.js'
import { createFakeClock } from '../../../helpers/fake-clock.js'
import { createAuditLog } from '../../../../server/src/audit/audit-log.js'
import { purgeExpiredConversations } from '../../../../server/src/data-rights/retention-purge.js'

// The retention purge on each real store, time moved by the fake clock: past its brand's period a
// closed chat is erased to a stub and an offline entry follows its own period; a recent one, an open
// chat, a held one and another brand's stay; a backlog goes in batches; the audit log has the counts.

const DAY = 24 * 60 * 60 * 1000
const NOW = Date.UTC(2026, 5, 1)
const id = (p: string) => `${p}-${randomUUID()}`
const NO_WAL_WAIT = { attempts: 1, intervalMs: 0 }

/** A conversation of two visitor messages opened at `at`; closed at `closedAt` when given; offline with a contact. */
async function conversation(store: Store, brandId: string, at: number, opts: { closedAt?: number; offline?: boolean } = {}): Promise<string> {
  const convId = id('c')
  const visitor: Participant = { kind: 'visitor', id: id('v') }
  const base = { brandId, convId, from: visitor, context: { url: 'https://shop.example/' }, ...(opts.offline ? { contact: { name: 'Ada', email: 'ada@example.com' } } : {}) }
  const results = await store.appendMessages([
    { ...base, clientMsgId: id('m'), text: 'my order number is 123', at },
    { ...base, clientMsgId: id('m'), text: 'thanks', at: at + 1 },
  ])
  expect(results.every((r) => r.ok)).toBe(true)
  if (opts.closedAt !== undefined) expect((await store.closeConversation(brandId, convId, visitor, opts.closedAt)).ok).toBe(true)
  return convId
}

describe.each(STORES)('$name store: retention purge', (factory) => {
  let opened: OpenedStore
  beforeAll(async () => { opened = await factory.create() })
  afterAll(async () => { await opened.dispose() })

  /** The purge's deps on this store, with the privacy documents saved for real. */
  function purgeDeps(store: Store) {
    const clock = createFakeClock(NOW)
    const audit = createAuditLog({ store, clock, settings: async () => null })
    let pauses = 0
    return { deps: { store, clock, audit, pause: async () => { pauses++ } }, pauses: () => pauses }
  }

  async function brandWith(store: Store, config: PrivacyConfig | null): Promise<string> {
    const brandId = await createStoreBrand(store)
    if (config) await store.setPrivacyConfig(brandId, config)
    return brandId
  }

  it('erases closed chats past transcriptRetentionDays to stubs, keeps recent, open, held and other brands\' ones, and audits the counts', async () => {
    const store = opened.store
    const brandId = await brandWith(store, { transcriptRetentionDays: 30 })
    const unset = await brandWith(store, null)
    const expired = await conversation(store, brandId, NOW - 40 * DAY, { closedAt: NOW - 31 * DAY })
    const recent = await conversation(store, brandId, NOW - 40 * DAY, { closedAt: NOW - 29 * DAY })
    const open = await conversation(store, brandId, NOW - 400 * DAY)
    const held = await conversation(store, brandId, NOW - 60 * DAY, { closedAt: NOW - 50 * DAY })
    await store.setLegalHold(brandId, held, { reason: 'dispute', at: NOW - 45 * DAY, by: 'agent:a1' })
    const otherBrands = await conversation(store, unset, NOW - 400 * DAY, { closedAt: NOW - 399 * DAY })

    const { deps } = purgeDeps(store)
    const result = await purgeExpiredConversations(deps, { walRetry: NO_WAL_WAIT })
    expect(result).toMatchObject({ conversations: 1, messages: 2 })

    const stub = await store.getConversation(brandId, expired)
    expect(stub).toMatchObject({ convId: expired, status: 'closed', erasedAt: NOW, context: null, contact: null })
    expect(await store.readMessages(brandId, expired, 0, 10)).toEqual([])
    for (const kept of [recent, open, held]) expect(await store.readMessages(brandId, kept, 0, 10), kept).toHaveLength(2)
    expect(await store.getConversation(brandId, open)).toMatchObject({ status: 'open' })
    expect(await store.readMessages(unset, otherBrands, 0, 10)).toHaveLength(2)

    const entries = await store.listAudit(brandId, { action: 'retention.purge', limit: 10 })
    expect(entries).toHaveLength(1)
    expect(entries[0]).toMatchObject({
      actor: { kind: 'system', id: null }, resource: { type: 'conversations', id: null },
      detail: { conversations: 1, messages: 2, closedBefore: NOW - 30 * DAY, offlineBefore: NOW - 30 * DAY },
    })
    expect(await store.listAudit(unset, { action: 'retention.purge', limit: 10 })).toEqual([])

    // A second pass finds nothing more and writes no entry.
    expect(await purgeExpiredConversations(deps, { walRetry: NO_WAL_WAIT })).toMatchObject({ conversations: 0 })
    expect(await store.listAudit(brandId, { action: 'retention.purge', limit: 10 })).toHaveLength(1)
  })

  it('purges offline entries on their own period, answered or not, and by default on the transcripts\'', async () => {
    const store = opened.store
    const own = await brandWith(store, { transcriptRetentionDays: 365, offlineRetentionDays: 7 })
    const inherited = await brandWith(store, { transcriptRetentionDays: 7 })
    const unanswered = await conversation(store, own, NOW - 8 * DAY, { offline: true })
    const answered = await conversation(store, own, NOW - 9 * DAY, { offline: true, closedAt: NOW - 8 * DAY })
    const fresh = await conversation(store, own, NOW - 6 * DAY, { offline: true })
    const chat = await conversation(store, own, NOW - 30 * DAY, { closedAt: NOW - 29 * DAY })
    const inheritedOld = await conversation(store, inherited, NOW - 8 * DAY, { offline: true })

    const { deps } = purgeDeps(store)
    await purgeExpiredConversations(deps, { walRetry: NO_WAL_WAIT })
    for (const [brandId, convId] of [[own, unanswered], [own, answered], [inherited, inheritedOld]] as const) {
      expect(await store.getConversation(brandId, convId), convId).toMatchObject({ erasedAt: NOW, status: 'closed' })
    }
    for (const convId of [fresh, chat]) expect(await store.readMessages(own, convId, 0, 10), convId).toHaveLength(2)
  })

  it('goes through a backlog in small batches, pausing between them, until it is done, and scrubs once', async () => {
    const store = opened.store
    const brandId = await brandWith(store, { transcriptRetentionDays: 1 })
    const ids: string[] = []
    for (let i = 0; i < 5; i++) ids.push(await conversation(store, brandId, NOW - 10 * DAY + i, { closedAt: NOW - 9 * DAY + i }))

    const { deps, pauses } = purgeDeps(store)
    // The free pages are scrubbed once for the pass, not after each batch.
    let scrubs = 0
    const counting = { ...deps, store: Object.assign(Object.create(store) as Store, { scrubFreePages: async () => { scrubs++; return store.scrubFreePages() } }) }
    const result = await purgeExpiredConversations(counting, { batch: 2, walRetry: NO_WAL_WAIT })
    expect(result).toMatchObject({ conversations: 5, batches: 3 })
    expect(pauses()).toBe(2)
    expect(scrubs).toBe(1)
    for (const convId of ids) expect(await store.readMessages(brandId, convId, 0, 10)).toEqual([])
    const [entry] = await store.listAudit(brandId, { action: 'retention.purge', limit: 10 })
    expect(entry?.detail).toMatchObject({ conversations: 5, messages: 10 })
  })

  it('stops after its current batch once aborted; the next pass finishes', async () => {
    const store = opened.store
    const brandId = await brandWith(store, { transcriptRetentionDays: 1 })
    for (let i = 0; i < 4; i++) await conversation(store, brandId, NOW - 10 * DAY + i, { closedAt: NOW - 9 * DAY + i })
    const stop = new AbortController()
    const { deps } = purgeDeps(store)
    const first = await purgeExpiredConversations({ ...deps, pause: async () => { stop.abort() } }, { batch: 2, signal: stop.signal, walRetry: NO_WAL_WAIT })
    expect(first).toMatchObject({ conversations: 2, batches: 1 })
    expect(await store.listExpiredConversations(brandId, { chatClosedBefore: NOW, offlineCreatedBefore: null }, 10)).toHaveLength(2)
    const second = await purgeExpiredConversations(deps, { batch: 2, walRetry: NO_WAL_WAIT })
    expect(second.conversations).toBeGreaterThanOrEqual(2)
    expect(await store.listExpiredConversations(brandId, { chatClosedBefore: NOW, offlineCreatedBefore: null }, 10)).toEqual([])
  })
})
