import { describe, expect, it } from 'vitest'
import { ConflictError, NotFoundError, Parley, PermissionError } from '@parley/sdk'
import { createTestAgent, createTestBrand } from '../helpers/brand.js'
import { callRest } from '../helpers/rest.js'
import { rejection, sdkRelay } from '../helpers/sdk-relay.js'

// parley.cannedReplies against a real relay: create, list, search, update, delete, the typed errors,
// and what the API key cannot see (an agent's personal replies, another brand's).

describe('parley.cannedReplies', () => {
  const s = sdkRelay()

  it('creates, lists, searches, updates and deletes brand-wide replies', async () => {
    const refund = await s.parley.cannedReplies.create({ scope: 'brand', shortcut: 'refund', title: 'Refund', text: 'Refunds take 5 days, {visitor.name|there}.' })
    const hello = await s.parley.cannedReplies.create({ scope: 'brand', shortcut: 'hello', title: 'Greeting', text: 'Hi!' })
    expect(refund).toMatchObject({ scope: 'brand', shortcut: 'refund' })
    expect((await s.parley.cannedReplies.list()).map((r) => r.shortcut)).toEqual(['hello', 'refund'])
    expect(await s.parley.cannedReplies.list({ q: 'DAYS' })).toEqual([refund])
    const changed = await s.parley.cannedReplies.update(hello.replyId, { text: 'Hello {visitor.name|there}!' })
    expect(changed.text).toBe('Hello {visitor.name|there}!')
    await s.parley.cannedReplies.delete(hello.replyId)
    expect(await s.parley.cannedReplies.list()).toEqual([refund])
    await s.parley.cannedReplies.delete(refund.replyId)
  })

  it('throws typed errors: a taken shortcut, an unknown reply, a personal reply with the API key', async () => {
    const r = await s.parley.cannedReplies.create({ scope: 'brand', shortcut: 'dupe', title: 'Dupe', text: 'x' })
    const taken = await rejection(s.parley.cannedReplies.create({ scope: 'brand', shortcut: 'dupe', title: 'Again', text: 'y' }))
    expect(taken).toBeInstanceOf(ConflictError)
    expect(taken.code).toBe('PARLEY_ERR_CANNED_SHORTCUT_TAKEN')
    const missing = await rejection(s.parley.cannedReplies.update('cr_nope', { title: 'x' }))
    expect(missing).toBeInstanceOf(NotFoundError)
    expect(missing.code).toBe('PARLEY_ERR_CANNED_NOT_FOUND')
    expect((await rejection(s.parley.cannedReplies.delete('cr_nope'))).code).toBe('PARLEY_ERR_CANNED_NOT_FOUND')
    const personal = await rejection(s.parley.cannedReplies.create({ scope: 'personal', shortcut: 'mine', title: 'Mine', text: 'x' }))
    expect(personal).toBeInstanceOf(PermissionError)
    expect(personal.code).toBe('PARLEY_ERR_AUTH_SCOPE')
    await s.parley.cannedReplies.delete(r.replyId)
  })

  it("never lists an agent's personal replies or another brand's", async () => {
    const agent = await createTestAgent(s.relay, s.brand.brandId)
    const res = await callRest(s.relay, { method: 'POST', url: '/v1/canned-replies', token: agent.token, body: { scope: 'personal', shortcut: 'private', title: 'Mine', text: 'x' } })
    expect(res.status).toBe(201)
    const other = await createTestBrand(s.relay)
    await new Parley({ relay: s.relay.url, apiKey: other.apiKey }).cannedReplies.create({ scope: 'brand', shortcut: 'theirs', title: 'Theirs', text: 'x' })
    expect(await s.parley.cannedReplies.list()).toEqual([])
    expect(await s.parley.cannedReplies.list({ scope: 'personal' })).toEqual([])
    const missing = await rejection(s.parley.cannedReplies.delete(res.body.replyId))
    expect(missing).toBeInstanceOf(NotFoundError)
  })
})
