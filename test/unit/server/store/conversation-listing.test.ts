import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Store } from '../../../../server/src/store/store.js'
import { STORES, type OpenedStore } from '../../../helpers/stores.js'
import { seedHistory } from '../../../helpers/history-seed.js'

// listConversations with words on every store: open conversations are found as closed ones
// are (same tokenizer: case and accents ignored, prefixes), their newest rows (still unindexed)
// included, after the file is opened again too, and a search leaves nothing behind to find later.

const id = (prefix: string) => `${prefix}${randomBytes(6).toString('hex')}`
const T0 = Date.UTC(2026, 10, 2, 12)

describe.each(STORES)('listConversations with words on the $name store', (factory) => {
  let opened: OpenedStore
  let store: Store
  const brandId = id('b_')
  const other = id('b_')
  let ids: string[]

  beforeAll(async () => {
    opened = await factory.create()
    store = opened.store
    for (const b of [brandId, other]) {
      await store.createBrand({ brandId: b, name: 'Brand', siteKey: id('site_'), allowedOrigins: [], apiKeyHash: id('hash_'), createdAt: 1 })
    }
    ids = await seedHistory(store, brandId, [
      { at: T0, text: 'Le CAFÉ était froid' },
      { at: T0 + 1, text: 'the cafe was cold', closed: true },
      { at: T0 + 2, text: 'nothing to see' },
    ])
    await seedHistory(store, other, [{ at: T0, text: 'cafe in the other brand' }])
  })
  afterAll(async () => { await opened.dispose() })

  const found = async (q: string, b = brandId) => (await store.listConversations(b, { q })).conversations.map((c) => c.convId)

  it('finds open and closed conversations alike, ignoring case and accents, by prefix too', async () => {
    expect(await found('cafe')).toEqual([ids[1], ids[0]])
    expect(await found('Café')).toEqual([ids[1], ids[0]])
    expect(await found('caf*')).toEqual([ids[1], ids[0]])
    expect(await found('froid')).toEqual([ids[0]])
  })

  it('needs every word in one message, as the closed index does', async () => {
    expect(await found('cafe cold')).toEqual([ids[1]])
    expect(await found('cafe nothing')).toEqual([])
  })

  it('finds a message appended a moment ago, and the same again after a search (nothing is left over)', async () => {
    await store.appendMessages([{ brandId, convId: ids[2]!, clientMsgId: id('m'), from: { kind: 'visitor', id: `v-${ids[2]}` }, text: 'espresso please', at: T0 + 5, context: null }])
    expect(await found('espresso')).toEqual([ids[2]])
    expect(await found('espresso')).toEqual([ids[2]])
    expect(await found('cafe', other)).toHaveLength(1)
  })

  it('finds every match when the open conversations are read in several slices', async () => {
    // 5 conversations of 900 messages: more than one slice of about 2,000 (open-transcript-search.ts).
    const big = id('b_')
    await store.createBrand({ brandId: big, name: 'Brand', siteKey: id('site_'), allowedOrigins: [], apiKeyHash: id('hash_'), createdAt: 1 })
    const convs = [0, 1, 2, 3, 4].map((i) => `busy-${i}`)
    for (let m = 0; m < 900; m++) {
      await store.appendMessages(convs.map((convId, i) => ({
        brandId: big, convId, clientMsgId: `m-${m}`, from: { kind: 'visitor' as const, id: `v-${convId}` },
        text: m === 450 && (i === 0 || i === 4) ? 'the needle is here' : `hay ${m}`, at: T0 + i, context: null,
      })))
    }
    expect((await store.listConversations(big, { q: 'needle' })).conversations.map((c) => c.convId)).toEqual(['busy-4', 'busy-0'])
    expect((await store.listConversations(big, { q: 'hay' })).conversations).toHaveLength(5)
  })

  it('finds open conversations after the store is opened again', async () => {
    store = await opened.reopen()
    expect(await found('espresso')).toEqual([ids[2]])
    expect(await found('froid')).toEqual([ids[0]])
  })
})
