import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Store } from '../../../../server/src/store/store.js'
import { STORES, type OpenedStore } from '../../../helpers/stores.js'
import { seedHistory } from '../../../helpers/history-seed.js'

// listConversations narrowed to one agent's own conversations (`participant`: the listing scope of
// the plain agent role) on every store: those the agent holds or takes part in now, as the policy's
// read check counts them (isParticipant), with every other filter applying within them.

const id = (prefix: string) => `${prefix}${randomBytes(6).toString('hex')}`
const T0 = Date.UTC(2026, 10, 2, 12)

describe.each(STORES)('listConversations for one participant on the $name store', (factory) => {
  let opened: OpenedStore
  let store: Store
  const brandId = id('b_')
  const other = id('b_')
  const ana = id('a_')
  const ben = id('a_')
  const cleo = id('a_')
  /** held: Ana holds it; joined: Ana joined Ben's; handed: Ana handed it to Ben; bens: Ben's alone; waiting: nobody's; closed: Ana's, closed. */
  const c = { held: '', joined: '', handed: '', bens: '', waiting: '', closed: '' }

  const listed = async (query: Parameters<Store['listConversations']>[1], b = brandId) =>
    (await store.listConversations(b, query)).conversations.map((x) => x.convId)

  beforeAll(async () => {
    opened = await factory.create()
    store = opened.store
    for (const b of [brandId, other]) {
      await store.createBrand({ brandId: b, name: 'Brand', siteKey: id('site_'), allowedOrigins: [], apiKeyHash: id('hash_'), createdAt: 1 })
    }
    for (const [agentId, name] of [[ana, 'Ana'], [ben, 'Ben'], [cleo, 'Cleo']] as const) {
      await store.createAgent({ brandId, agentId, email: `${name}@agents.example`, name, passwordHash: 'scrypt$x', createdAt: 1 })
    }
    ;[c.held, c.joined, c.handed, c.bens, c.waiting, c.closed] = await seedHistory(store, brandId, [
      { at: T0, text: 'parcel lost', agent: ana },
      { at: T0 + 1, text: 'parcel late', agent: ben },
      { at: T0 + 2, text: 'refund please', agent: ana },
      { at: T0 + 3, text: 'parcel broken', agent: ben },
      { at: T0 + 4, text: 'anyone there' },
      { at: T0 + 5, text: 'parcel thanks', agent: ana, closed: true },
    ]) as [string, string, string, string, string, string]
    await store.joinConversation(brandId, c.joined, ana, T0 + 10)
    const handed = await store.assignConversation(brandId, c.handed, ben, T0 + 10, { onlyIfWaiting: false, leaving: ana })
    expect(handed.ok).toBe(true)
    await seedHistory(store, other, [{ at: T0, text: 'parcel elsewhere' }])
  })
  afterAll(async () => { await opened.dispose() })

  it('lists the conversations the agent holds or takes part in, open and closed, newest first', async () => {
    expect(await listed({ participant: ana })).toEqual([c.closed, c.joined, c.held])
    expect(await listed({ participant: ben })).toEqual([c.bens, c.handed, c.joined])
  })

  it('agrees with isParticipant on every conversation of the brand', async () => {
    const mine = new Set(await listed({ participant: ana }))
    for (const convId of Object.values(c)) {
      expect(mine.has(convId), convId).toBe(await store.isParticipant(brandId, convId, { kind: 'agent', id: ana }))
    }
  })

  it('applies every other filter within them', async () => {
    expect(await listed({ participant: ana, status: 'open' })).toEqual([c.joined, c.held])
    expect(await listed({ participant: ana, q: 'parcel' })).toEqual([c.closed, c.joined, c.held])
    expect(await listed({ participant: ana, agentId: ben })).toEqual([c.joined])
    expect(await listed({ participant: ana, visitorId: `v-${c.bens}` })).toEqual([])
    const first = await store.listConversations(brandId, { participant: ana, limit: 2 })
    expect(first.conversations.map((x) => x.convId)).toEqual([c.closed, c.joined])
    expect(await listed({ participant: ana, limit: 2, before: first.next! })).toEqual([c.held])
  })

  it('lists nothing for an agent in none, nor for an agent of another brand', async () => {
    expect(await listed({ participant: cleo })).toEqual([])
    expect(await listed({ participant: id('a_') })).toEqual([])
    expect(await listed({ participant: ana }, other)).toEqual([])
  })
})
