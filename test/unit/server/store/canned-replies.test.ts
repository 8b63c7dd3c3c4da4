import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_CANNED_REPLIES } from '@parley/sdk/contract'
import type { CannedReplyRecord, Store } from '../../../../server/src/store/store.js'
import { STORES, type OpenedStore } from '../../../helpers/stores.js'

// The canned reply methods of the store: who sees and manages what (an owner of brand + agent, or
// brand alone for the API key), the shortcut unique per owner, the brand's limit under concurrent
// creates, and refusals that change nothing.

let n = 0
const reply = (brandId: string, owner: string | null, shortcut: string, extra: Partial<CannedReplyRecord> = {}): CannedReplyRecord => ({
  brandId, replyId: `cr_${++n}`, scope: owner === null ? 'brand' : 'personal', ownerAgentId: owner, shortcut, title: `T ${shortcut}`, text: `X ${shortcut}`, updatedAt: 1, ...extra,
})

describe.each(STORES)('canned replies on the $name store', (factory) => {
  let opened: OpenedStore
  let store: Store
  beforeAll(async () => { opened = await factory.create(); store = opened.store })
  afterAll(async () => { await opened.dispose() })

  it("lists the brand's and the owner's replies by shortcut; the API key the brand's only", async () => {
    const b = 'b_list'
    for (const r of [reply(b, null, 'zeta'), reply(b, 'a_1', 'alpha'), reply(b, 'a_2', 'beta'), reply('b_other', null, 'gamma')]) expect((await store.createCannedReply(r)).ok).toBe(true)
    expect((await store.listCannedReplies({ brandId: b, agentId: 'a_1' }, {})).map((r) => r.shortcut)).toEqual(['alpha', 'zeta'])
    expect((await store.listCannedReplies({ brandId: b, agentId: null }, {})).map((r) => r.shortcut)).toEqual(['zeta'])
    expect((await store.listCannedReplies({ brandId: b, agentId: 'a_1' }, { scope: 'personal' })).map((r) => r.shortcut)).toEqual(['alpha'])
    expect((await store.listCannedReplies({ brandId: b, agentId: 'a_1' }, { q: 'X ALP' })).map((r) => r.shortcut)).toEqual(['alpha'])
  })

  it("shows, changes and deletes only what the owner may; another agent's personal reply is not there", async () => {
    const b = 'b_own'
    const mine = reply(b, 'a_1', 'mine')
    await store.createCannedReply(mine)
    const sees = async (owner: { brandId: string; agentId: string | null }) => (await store.listCannedReplies(owner, {})).some((r) => r.replyId === mine.replyId)
    expect(await sees({ brandId: b, agentId: 'a_2' })).toBe(false)
    expect(await sees({ brandId: b, agentId: null })).toBe(false)
    expect(await sees({ brandId: 'b_other', agentId: 'a_1' })).toBe(false)
    expect(await store.updateCannedReply({ brandId: b, agentId: 'a_2' }, mine.replyId, { text: 'no' }, 2)).toEqual({ ok: false, code: 'PARLEY_ERR_CANNED_NOT_FOUND' })
    expect(await store.deleteCannedReply({ brandId: b, agentId: null }, mine.replyId)).toBe(false)
    const changed = await store.updateCannedReply({ brandId: b, agentId: 'a_1' }, mine.replyId, { text: 'yes' }, 2)
    expect(changed).toEqual({ ok: true, reply: { ...mine, text: 'yes', updatedAt: 2 } })
    expect(await store.deleteCannedReply({ brandId: b, agentId: 'a_1' }, mine.replyId)).toBe(true)
    expect(await sees({ brandId: b, agentId: 'a_1' })).toBe(false)
  })

  it('keeps a shortcut unique per owner, and lets the same one live in the brand and in each agent', async () => {
    const b = 'b_unique'
    expect((await store.createCannedReply(reply(b, null, 'refund'))).ok).toBe(true)
    expect(await store.createCannedReply(reply(b, null, 'refund'))).toEqual({ ok: false, code: 'PARLEY_ERR_CANNED_SHORTCUT_TAKEN' })
    expect((await store.createCannedReply(reply(b, 'a_1', 'refund'))).ok).toBe(true)
    expect((await store.createCannedReply(reply(b, 'a_2', 'refund'))).ok).toBe(true)
    const other = reply(b, 'a_1', 'other')
    await store.createCannedReply(other)
    expect(await store.updateCannedReply({ brandId: b, agentId: 'a_1' }, other.replyId, { shortcut: 'refund', title: 'changed' }, 3))
      .toEqual({ ok: false, code: 'PARLEY_ERR_CANNED_SHORTCUT_TAKEN' })
    expect((await store.listCannedReplies({ brandId: b, agentId: 'a_1' }, {})).find((r) => r.replyId === other.replyId)).toEqual({ ...other, ownerAgentId: 'a_1' })
  })

  it('lets only one of two concurrent creates take the last place under the limit', async () => {
    const b = 'b_limit'
    for (let i = 0; i < MAX_CANNED_REPLIES - 1; i++) expect((await store.createCannedReply(reply(b, null, `s${i}`))).ok).toBe(true)
    const results = await Promise.all([store.createCannedReply(reply(b, 'a_1', 'last')), store.createCannedReply(reply(b, 'a_2', 'last'))])
    expect(results.map((r) => r.ok).sort()).toEqual([false, true])
    expect(results.find((r) => !r.ok)).toEqual({ ok: false, code: 'PARLEY_ERR_CANNED_LIMIT' })
    expect(await store.listCannedReplies({ brandId: b, agentId: 'a_1' }, { q: 'last' })).toHaveLength(results[0]!.ok ? 1 : 0)
  })
})
