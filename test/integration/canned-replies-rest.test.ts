import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_CANNED_REPLIES, type CannedReply } from '@parley/sdk/contract'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand, type TestAgent, type TestBrand } from '../helpers/brand.js'
import { callRest } from '../helpers/rest.js'
import { expectErrorBody } from '../helpers/expect-error.js'

// Canned replies over REST on a real relay and SQLite file: who sees and manages which reply
// (brand-wide, personal, another agent's, another brand's), shortcut conflicts per scope, search,
// the brand's limit, bad input refused with nothing changed, idempotent creation, no text in logs.

describe('canned replies over REST', () => {
  let relay: TestRelay
  const lines: string[] = []
  beforeAll(async () => { relay = await startRelay({ logStream: { write: (l) => { lines.push(l) } }, logLevel: 'info' }) })
  afterAll(async () => { await relay.close() })

  type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE'
  const rest = (token: string, method: Method, url: string, body?: unknown, headers?: Record<string, string>) =>
    callRest(relay, { method, url, token, ...(body !== undefined ? { body } : {}), ...(headers ? { headers } : {}) })
  const list = async (token: string, query = ''): Promise<CannedReply[]> => {
    const res = await rest(token, 'GET', `/v1/canned-replies${query}`)
    expect(res.status).toBe(200)
    return res.body.replies as CannedReply[]
  }
  const create = async (token: string, body: object): Promise<CannedReply> => {
    const res = await rest(token, 'POST', '/v1/canned-replies', body)
    expect(res.status, res.raw).toBe(201)
    return res.body as CannedReply
  }
  const reply = (scope: 'brand' | 'personal', shortcut: string, text = `Text of ${shortcut}`) => ({ scope, shortcut, title: `Title ${shortcut}`, text })

  async function team(): Promise<{ brand: TestBrand; ana: TestAgent; bo: TestAgent }> {
    const brand = await createTestBrand(relay)
    return { brand, ana: await createTestAgent(relay, brand.brandId, 'Ana'), bo: await createTestAgent(relay, brand.brandId, 'Bo') }
  }

  it("shows an agent the brand's replies and their own personal ones, the API key the brand's only", async () => {
    const { brand, ana, bo } = await team()
    const shared = await create(brand.apiKey, reply('brand', 'refund'))
    const mine = await create(ana.token, reply('personal', 'hello'))
    expect(mine).toMatchObject({ scope: 'personal', ownerAgentId: ana.agentId, shortcut: 'hello' })
    expect(shared.ownerAgentId).toBeUndefined()
    expect((await list(ana.token)).map((r) => r.replyId)).toEqual([mine.replyId, shared.replyId])
    expect((await list(bo.token)).map((r) => r.replyId)).toEqual([shared.replyId])
    expect((await list(brand.apiKey)).map((r) => r.replyId)).toEqual([shared.replyId])
    expect((await list(ana.token, '?scope=personal')).map((r) => r.replyId)).toEqual([mine.replyId])
  })

  it("answers not found for another agent's personal reply, and changes nothing", async () => {
    const { brand, ana, bo } = await team()
    const mine = await create(ana.token, reply('personal', 'mine'))
    for (const token of [bo.token, brand.apiKey]) {
      expectErrorBody(await rest(token, 'PATCH', `/v1/canned-replies/${mine.replyId}`, { text: 'stolen' }), 'PARLEY_ERR_CANNED_NOT_FOUND')
      expectErrorBody(await rest(token, 'DELETE', `/v1/canned-replies/${mine.replyId}`), 'PARLEY_ERR_CANNED_NOT_FOUND')
    }
    expect(await list(ana.token)).toEqual([mine])
  })

  it("never shows or lets anyone change another brand's replies", async () => {
    const a = await team()
    const b = await team()
    const shared = await create(a.brand.apiKey, reply('brand', 'refund'))
    expect(await list(b.ana.token)).toEqual([])
    expect(await list(b.brand.apiKey)).toEqual([])
    expectErrorBody(await rest(b.brand.apiKey, 'PATCH', `/v1/canned-replies/${shared.replyId}`, { title: 'x' }), 'PARLEY_ERR_CANNED_NOT_FOUND')
    expectErrorBody(await rest(b.ana.token, 'DELETE', `/v1/canned-replies/${shared.replyId}`), 'PARLEY_ERR_CANNED_NOT_FOUND')
    // The same shortcut in another brand is free.
    await create(b.brand.apiKey, reply('brand', 'refund'))
    expect(await list(a.ana.token)).toEqual([shared])
  })

  it('refuses a shortcut taken in the same scope, and lets a personal one shadow the brand one', async () => {
    const { brand, ana, bo } = await team()
    await create(ana.token, reply('brand', 'refund'))
    expectErrorBody(await rest(brand.apiKey, 'POST', '/v1/canned-replies', reply('brand', 'refund')), 'PARLEY_ERR_CANNED_SHORTCUT_TAKEN')
    const personal = await create(ana.token, reply('personal', 'refund'))
    await create(bo.token, reply('personal', 'refund'))
    expectErrorBody(await rest(ana.token, 'POST', '/v1/canned-replies', reply('personal', 'refund')), 'PARLEY_ERR_CANNED_SHORTCUT_TAKEN')
    const other = await create(ana.token, reply('personal', 'other'))
    expectErrorBody(await rest(ana.token, 'PATCH', `/v1/canned-replies/${other.replyId}`, { shortcut: 'refund', text: 'changed' }), 'PARLEY_ERR_CANNED_SHORTCUT_TAKEN')
    expect((await list(ana.token, '?scope=personal'))).toEqual([other, personal])
  })

  it('changes only the fields given, and keeps the scope', async () => {
    const { ana } = await team()
    const r = await create(ana.token, reply('personal', 'thanks', 'Thanks {visitor.name|there}!'))
    const res = await rest(ana.token, 'PATCH', `/v1/canned-replies/${r.replyId}`, { title: 'Thank you' })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ replyId: r.replyId, scope: 'personal', shortcut: 'thanks', title: 'Thank you', text: 'Thanks {visitor.name|there}!' })
    expect(res.body.updatedAt).toBeGreaterThanOrEqual(r.updatedAt)
    expectErrorBody(await rest(ana.token, 'PATCH', `/v1/canned-replies/${r.replyId}`, { scope: 'brand' }), 'PARLEY_ERR_REQUEST_INVALID')
  })

  it('deletes a reply once; a second delete is not found', async () => {
    const { brand, ana } = await team()
    const r = await create(brand.apiKey, reply('brand', 'bye'))
    expect((await rest(ana.token, 'DELETE', `/v1/canned-replies/${r.replyId}`)).status).toBe(204)
    expectErrorBody(await rest(ana.token, 'DELETE', `/v1/canned-replies/${r.replyId}`), 'PARLEY_ERR_CANNED_NOT_FOUND')
    expect(await list(brand.apiKey)).toEqual([])
  })

  it('searches shortcut, title and text in any case, including letters beyond ASCII', async () => {
    const { brand, ana } = await team()
    const refund = await create(brand.apiKey, { scope: 'brand', shortcut: 'refund', title: 'Money back', text: 'We refund within 14 days.' })
    const summer = await create(brand.apiKey, { scope: 'brand', shortcut: 'summer', title: 'ÉTÉ hours', text: 'Open 9 to 5 in summer.' })
    const pct = await create(ana.token, { scope: 'personal', shortcut: 'sale', title: 'Sale', text: '50% off_today' })
    expect(await list(ana.token, '?q=REFUND')).toEqual([refund])
    expect(await list(ana.token, '?q=money')).toEqual([refund])
    expect(await list(ana.token, `?q=${encodeURIComponent('été')}`)).toEqual([summer])
    // `%` and `_` are plain characters, not wildcards.
    expect(await list(ana.token, `?q=${encodeURIComponent('0% off_')}`)).toEqual([pct])
    expect(await list(ana.token, `?q=${encodeURIComponent('%')}`)).toEqual([pct])
    expect(await list(ana.token, '?q=nothing-like-it')).toEqual([])
  })

  it('refuses a personal reply with the API key, with AUTH_SCOPE (an agent\'s own work: no key has it)', async () => {
    const { brand } = await team()
    expectErrorBody(await rest(brand.apiKey, 'POST', '/v1/canned-replies', reply('personal', 'mine')), 'PARLEY_ERR_AUTH_SCOPE')
    expect(await list(brand.apiKey)).toEqual([])
  })

  it("refuses an agent of the plain role the brand's replies (AUTH_ROLE) and lets it keep its own", async () => {
    const { brand, ana } = await team()
    const plain = await createTestAgent(relay, brand.brandId, 'Plain', 'agent')
    const shared = await rest(ana.token, 'POST', '/v1/canned-replies', reply('brand', 'shared'))
    expect(shared.status).toBe(201)
    expectErrorBody(await rest(plain.token, 'POST', '/v1/canned-replies', reply('brand', 'mine')), 'PARLEY_ERR_AUTH_ROLE')
    expectErrorBody(await rest(plain.token, 'PATCH', `/v1/canned-replies/${shared.body.replyId}`, { title: 'Changed' }), 'PARLEY_ERR_AUTH_ROLE')
    expectErrorBody(await rest(plain.token, 'DELETE', `/v1/canned-replies/${shared.body.replyId}`), 'PARLEY_ERR_AUTH_ROLE')
    const own = await rest(plain.token, 'POST', '/v1/canned-replies', reply('personal', 'mine'))
    expect(own.status).toBe(201)
    expect((await rest(plain.token, 'PATCH', `/v1/canned-replies/${own.body.replyId}`, { title: 'Mine now' })).status).toBe(200)
    expect((await list(plain.token)).map((r: { replyId: string }) => r.replyId).sort()).toEqual([shared.body.replyId, own.body.replyId].sort())
    expect((await rest(plain.token, 'DELETE', `/v1/canned-replies/${own.body.replyId}`)).status).toBe(204)
  })

  it('refuses bad input with REQUEST_INVALID and stores nothing', async () => {
    const { brand, ana } = await team()
    const bad: unknown[] = [
      reply('brand', 'Refund'), reply('brand', '/refund'), reply('brand', 'has space'), reply('brand', 'x'.repeat(33)), reply('brand', ''),
      { ...reply('brand', 'ok'), text: '' }, { ...reply('brand', 'ok'), text: 'x'.repeat(4001) }, { ...reply('brand', 'ok'), title: '' }, { ...reply('brand', 'ok'), title: '  ' }, { ...reply('brand', 'ok'), text: ' \n ' },
      { ...reply('brand', 'ok'), scope: 'team' }, { ...reply('brand', 'ok'), ownerAgentId: ana.agentId }, { shortcut: 'ok', title: 't', text: 't' },
    ]
    for (const body of bad) expectErrorBody(await rest(ana.token, 'POST', '/v1/canned-replies', body), 'PARLEY_ERR_REQUEST_INVALID')
    expectErrorBody(await rest(ana.token, 'GET', '/v1/canned-replies?scope=team'), 'PARLEY_ERR_REQUEST_INVALID')
    expectErrorBody(await rest(ana.token, 'PATCH', '/v1/canned-replies/has%20space', { title: 'x' }), 'PARLEY_ERR_REQUEST_INVALID')
    expect(await list(brand.apiKey)).toEqual([])
    const kept = await create(ana.token, reply('personal', 'kept'))
    for (const patch of [{ text: '   ' }, { shortcut: 'Kept' }, { title: 'x'.repeat(129) }, { ownerAgentId: 'a_x' }]) {
      expectErrorBody(await rest(ana.token, 'PATCH', `/v1/canned-replies/${kept.replyId}`, patch), 'PARLEY_ERR_REQUEST_INVALID')
    }
    expect(await list(ana.token)).toEqual([kept])
  })

  it('refuses callers without a credential, and visitors', async () => {
    expectErrorBody(await callRest(relay, { url: '/v1/canned-replies' }), 'PARLEY_ERR_AUTH_REQUIRED')
  })

  it('replays a POST with the same Idempotency-Key instead of saving the reply twice', async () => {
    const { ana } = await team()
    const headers = { 'idempotency-key': 'canned-once' }
    const first = await rest(ana.token, 'POST', '/v1/canned-replies', reply('personal', 'once'), headers)
    const again = await rest(ana.token, 'POST', '/v1/canned-replies', reply('personal', 'once'), headers)
    expect(first.status).toBe(201)
    expect(again.status).toBe(201)
    expect(again.headers['idempotent-replayed']).toBe('true')
    expect(again.body).toEqual(first.body)
    expect(await list(ana.token)).toHaveLength(1)
  })

  it(`refuses a reply beyond the brand's ${MAX_CANNED_REPLIES} with CANNED_LIMIT, whoever owns it`, async () => {
    const { brand, ana } = await team()
    for (let i = 0; i < MAX_CANNED_REPLIES; i++) {
      const r = await relay.deps.store.createCannedReply({
        brandId: brand.brandId, replyId: `cr_fill${i}`, scope: i % 2 ? 'brand' : 'personal', ownerAgentId: i % 2 ? null : ana.agentId,
        shortcut: `s${i}`, title: 't', text: 't', updatedAt: 1,
      })
      expect(r.ok).toBe(true)
    }
    expectErrorBody(await rest(ana.token, 'POST', '/v1/canned-replies', reply('personal', 'one-more')), 'PARLEY_ERR_CANNED_LIMIT')
    expectErrorBody(await rest(brand.apiKey, 'POST', '/v1/canned-replies', reply('brand', 'one-more')), 'PARLEY_ERR_CANNED_LIMIT')
    expect(await list(ana.token, '?q=one-more')).toEqual([])
    // Another brand is not held back by this one.
    const other = await createTestBrand(relay)
    await create(other.apiKey, reply('brand', 'one-more'))
  })

  it('logs ids and scopes, never a title or text', async () => {
    const { ana } = await team()
    const secret = 'canary-text-7c1f'
    const r = await create(ana.token, { scope: 'personal', shortcut: 'canary', title: `${secret} title`, text: `${secret} body` })
    await rest(ana.token, 'PATCH', `/v1/canned-replies/${r.replyId}`, { text: `${secret} again` })
    await list(ana.token, `?q=${secret}`)
    const logged = lines.join('')
    expect(logged).toContain(r.replyId)
    expect(logged).not.toContain(secret.slice(0, 12))
  })
})
