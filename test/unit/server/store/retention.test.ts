import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Participant } from '@parley/sdk/contract'
import type { Store } from '../../../../server/src/store/store.js'
import { STORES, type OpenedStore } from '../../../helpers/stores.js'
import { createStoreBrand } from '../../../helpers/brand.js'

// The store's side of retention: the brand's privacy document, legal holds, and which
// conversations a purge may erase (closed chats past their cut-off, offline entries past theirs,
// never an open chat, a held one or another brand's).

const id = (p: string) => `${p}-${randomUUID()}`

/** Opens a conversation by one visitor message at `at`; closed at `closedAt` when given; offline with a contact. */
async function conversation(store: Store, brandId: string, at: number, opts: { closedAt?: number; offline?: boolean } = {}): Promise<string> {
  const convId = id('c')
  const visitor: Participant = { kind: 'visitor', id: id('v') }
  const [r] = await store.appendMessages([{
    brandId, convId, clientMsgId: id('m'), from: visitor, text: 'hello', at, context: null,
    ...(opts.offline ? { contact: { name: 'Ada', email: 'ada@example.com' } } : {}),
  }])
  expect(r?.ok).toBe(true)
  if (opts.closedAt !== undefined) expect((await store.closeConversation(brandId, convId, visitor, opts.closedAt)).ok).toBe(true)
  return convId
}

describe.each(STORES)('$name store: retention', (factory) => {
  let opened: OpenedStore
  beforeAll(async () => { opened = await factory.create() })
  afterAll(async () => { await opened.dispose() })

  it('keeps the privacy document per brand (null until saved)', async () => {
    const store = opened.store
    const a = await createStoreBrand(store)
    const b = await createStoreBrand(store)
    expect(await store.getPrivacyConfig(a)).toBeNull()
    await store.setPrivacyConfig(a, { transcriptRetentionDays: 30, offlineRetentionDays: 7, erasureGraceDays: 3 })
    expect(await store.getPrivacyConfig(a)).toEqual({ transcriptRetentionDays: 30, offlineRetentionDays: 7, erasureGraceDays: 3 })
    expect(await store.getPrivacyConfig(b)).toBeNull()
    await store.setPrivacyConfig(a, {})
    expect(await store.getPrivacyConfig(a)).toEqual({})
  })

  it('sets and lifts a legal hold, seen on the conversation; another brand\'s id is null', async () => {
    const store = opened.store
    const brandId = await createStoreBrand(store)
    const other = await createStoreBrand(store)
    const convId = await conversation(store, brandId, 1000)
    const hold = { reason: 'case 42', at: 2000, by: 'agent:a1' }
    expect(await store.setLegalHold(brandId, convId, hold)).toMatchObject({ convId, legalHold: hold, erasedAt: null, status: 'open' })
    expect(await store.getConversation(brandId, convId)).toMatchObject({ legalHold: hold })
    expect(await store.setLegalHold(other, convId, hold)).toBeNull()
    expect(await store.setLegalHold(brandId, id('missing'), hold)).toBeNull()
    expect(await store.setLegalHold(brandId, convId, null)).toMatchObject({ convId, legalHold: null })
    expect((await store.getConversation(brandId, convId))?.legalHold ?? null).toBeNull()
  })

  it('lists closed chats and offline entries past their cut-offs, oldest first, never open or held ones', async () => {
    const store = opened.store
    const brandId = await createStoreBrand(store)
    const other = await createStoreBrand(store)
    const oldChat = await conversation(store, brandId, 100, { closedAt: 300 })
    const olderChat = await conversation(store, brandId, 100, { closedAt: 200 })
    const recentChat = await conversation(store, brandId, 100, { closedAt: 900 })
    await conversation(store, brandId, 50) // open: never expires
    const held = await conversation(store, brandId, 100, { closedAt: 150 })
    await store.setLegalHold(brandId, held, { reason: 'audit', at: 160, by: 'key:k1' })
    const offlineOpen = await conversation(store, brandId, 250, { offline: true })
    const offlineClosed = await conversation(store, brandId, 400, { offline: true, closedAt: 410 })
    const offlineNew = await conversation(store, brandId, 800, { offline: true })
    await conversation(store, other, 100, { closedAt: 200 })

    expect(await store.listExpiredConversations(brandId, { chatClosedBefore: 500, offlineCreatedBefore: 500 }, 10))
      .toEqual([olderChat, offlineOpen, oldChat, offlineClosed])
    expect(await store.listExpiredConversations(brandId, { chatClosedBefore: 500, offlineCreatedBefore: null }, 10)).toEqual([olderChat, oldChat])
    expect(await store.listExpiredConversations(brandId, { chatClosedBefore: null, offlineCreatedBefore: 1000 }, 10)).toEqual([offlineOpen, offlineClosed, offlineNew])
    expect(await store.listExpiredConversations(brandId, { chatClosedBefore: null, offlineCreatedBefore: null }, 10)).toEqual([])
    expect(await store.listExpiredConversations(brandId, { chatClosedBefore: 1000, offlineCreatedBefore: 500 }, 2)).toEqual([olderChat, offlineOpen])
    expect(await store.listExpiredConversations(brandId, { chatClosedBefore: 1000, offlineCreatedBefore: null }, 10)).toEqual([olderChat, oldChat, recentChat])
  })

  it('never lists an erased stub again', async () => {
    const store = opened.store
    const brandId = await createStoreBrand(store)
    const erased = await conversation(store, brandId, 100, { closedAt: 200 })
    const offline = await conversation(store, brandId, 100, { offline: true })
    const kept = await conversation(store, brandId, 100, { closedAt: 300 })
    expect((await store.eraseConversations(brandId, [erased, offline], 400)).erased.sort()).toEqual([erased, offline].sort())
    expect(await store.listExpiredConversations(brandId, { chatClosedBefore: 500, offlineCreatedBefore: 500 }, 10)).toEqual([kept])
  })

  it('lists a lifted hold\'s conversation again', async () => {
    const store = opened.store
    const brandId = await createStoreBrand(store)
    const convId = await conversation(store, brandId, 100, { closedAt: 200 })
    await store.setLegalHold(brandId, convId, { reason: 'x', at: 210, by: 'agent:a' })
    expect(await store.listExpiredConversations(brandId, { chatClosedBefore: 500, offlineCreatedBefore: null }, 10)).toEqual([])
    await store.setLegalHold(brandId, convId, null)
    expect(await store.listExpiredConversations(brandId, { chatClosedBefore: 500, offlineCreatedBefore: null }, 10)).toEqual([convId])
  })
})
