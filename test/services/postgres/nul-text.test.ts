import { randomBytes } from 'node:crypto'
import { beforeAll, expect, it } from 'vitest'
import type { VisitorContext } from '@parley/sdk/contract'
import { describeWithPostgres, usePostgresStores } from '../../helpers/postgres.js'
import { createStoreBrand } from '../../helpers/brand.js'

// PostgreSQL's text and jsonb cannot hold U+0000, which SQLite stores. Text that reaches the store
// with one (a visitor's page title, a name) must not fail its statement, and with it every other
// request of the same group commit: it is stored with U+FFFD in its place. The same holds for a lone
// UTF-16 surrogate (a JSON body may carry "\ud800"): jsonb refuses the escape, text gets U+FFFD.

const id = (prefix: string) => `${prefix}${randomBytes(6).toString('hex')}`

describeWithPostgres('PostgreSQL store and U+0000 in stored text', () => {
  const suite = usePostgresStores()
  let brandId: string
  beforeAll(async () => { brandId = await createStoreBrand(suite.store, { name: 'Nul' }) })

  it('stores a context with U+0000 as U+FFFD, in the same commit as a clean message', async () => {
    const context: VisitorContext = { title: 'Shop\u0000page', values: { plan: 'p\u0000ro' } }
    const [withNul, clean] = await suite.store.appendMessages([
      { brandId, convId: id('c_'), clientMsgId: 'm1', from: { kind: 'visitor', id: 'v_1', name: 'A\u0000nn' }, text: 'hello', at: 10, context },
      { brandId, convId: id('c_'), clientMsgId: 'm1', from: { kind: 'visitor', id: 'v_2' }, text: 'hi', at: 10, context: null },
    ])
    expect(withNul?.ok && clean?.ok).toBe(true)
    if (!withNul?.ok) return
    const conv = await suite.store.getConversation(brandId, withNul.message.convId)
    expect(conv?.context).toEqual({ title: 'Shop\uFFFDpage', values: { plan: 'p\uFFFDro' } })
  })

  it('stores visits and agent names with U+0000 as U+FFFD', async () => {
    const visit = await suite.store.recordVisit(brandId, 'v_9', { title: 'a\u0000b' }, 20)
    expect(visit.context).toEqual({ title: 'a\uFFFDb' })
    const agent = await suite.store.createAgent({ brandId, agentId: id('a_'), email: `${id('e')}@example.com`, name: 'Jo\u0000', passwordHash: 'h', createdAt: 1 })
    expect(agent?.name).toBe('Jo\uFFFD')
  })

  it('stores a context with a lone surrogate as U+FFFD, in a two-brand commit that keeps both', async () => {
    const other = id('b_')
    await suite.store.createBrand({ brandId: other, name: 'Other', siteKey: id('s_'), allowedOrigins: [], apiKeyHash: id('k_'), createdAt: 1 })
    // A lone high, a lone low, and one in a key; the well-formed pair stays as it is.
    const context = { title: 'x\ud800', url: 'y\udc00z', values: { ['k\ud800']: 'ok 😀' } } as VisitorContext
    const [broken, clean] = await suite.store.appendMessages([
      { brandId, convId: id('c_'), clientMsgId: 'm1', from: { kind: 'visitor', id: 'v_3', name: 'B\udfffob' }, text: 'hello', at: 10, context },
      { brandId: other, convId: id('c_'), clientMsgId: 'm1', from: { kind: 'visitor', id: 'v_4' }, text: 'hi', at: 10, context: { title: 'fine' } },
    ])
    expect(broken?.ok && clean?.ok).toBe(true)
    if (!broken?.ok || !clean?.ok) return
    const conv = await suite.store.getConversation(brandId, broken.message.convId)
    expect(conv?.context).toEqual({ title: 'x\uFFFD', url: 'y\uFFFDz', values: { ['k\uFFFD']: 'ok 😀' } })
    expect((await suite.store.getConversation(other, clean.message.convId))?.context).toEqual({ title: 'fine' })
  })

  it('stores an agent name with a lone surrogate as U+FFFD', async () => {
    const agent = await suite.store.createAgent({ brandId, agentId: id('a_'), email: `${id('e')}@example.com`, name: 'Jo\ud800', passwordHash: 'h', createdAt: 1 })
    expect(agent?.name).toBe('Jo\uFFFD')
  })
})
