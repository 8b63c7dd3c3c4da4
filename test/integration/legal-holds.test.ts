import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Parley, NotFoundError } from '@parley/sdk'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand, type TestBrand } from '../helpers/brand.js'
import { callRest } from '../helpers/rest.js'
import { expectErrorBody } from '../helpers/expect-error.js'
import { seedConversations } from '../helpers/seed-conversations.js'
import { rejection } from '../helpers/sdk-relay.js'

// Legal holds over REST and the SDK: set and lifted by data.erase holders, shown on the brand's
// conversation header, audited without the reason, refused for another brand's conversation, a
// blank reason, a supervisor and a key without data:erase.

describe('legal holds', () => {
  let relay: TestRelay
  let brand: TestBrand
  let other: TestBrand
  let parley: Parley
  beforeAll(async () => {
    relay = await startRelay()
    brand = await createTestBrand(relay)
    other = await createTestBrand(relay)
    parley = new Parley({ relay: relay.url, apiKey: brand.apiKey })
  })
  afterAll(async () => { await relay.close() })

  it('sets a hold through the SDK, shows it on the header, and lifts it', async () => {
    const [convId] = await seedConversations(relay, brand.brandId, 1, `held-${Date.now()}`)
    const held = await parley.conversations.hold(convId!, 'Litigation 2026-114')
    expect(held).toMatchObject({ convId, hold: { reason: 'Litigation 2026-114', by: expect.stringMatching(/^key:/) } })
    expect((await parley.conversations.retrieve(convId!)).legalHold).toMatchObject({ reason: 'Litigation 2026-114' })
    expect(await parley.conversations.release(convId!)).toEqual({ convId, hold: null })
    expect((await parley.conversations.retrieve(convId!)).legalHold).toBeUndefined()
  })

  it('audits conversation.hold with set and lift, never the reason', async () => {
    const [convId] = await seedConversations(relay, brand.brandId, 1, `audited-${Date.now()}`)
    await parley.conversations.hold(convId!, 'zebra-quartz case')
    await parley.conversations.release(convId!)
    const entries = (await relay.deps.store.listAudit(brand.brandId, { action: 'conversation.hold', limit: 10 })).filter((e) => e.resource?.id === convId)
    expect(entries.map((e) => e.detail)).toEqual([{ how: 'lift' }, { how: 'set' }])
    expect(JSON.stringify(entries)).not.toContain('zebra')
  })

  it('answers CONV_NOT_FOUND for another brand\'s conversation and changes nothing', async () => {
    const [convId] = await seedConversations(relay, other.brandId, 1, `other-${Date.now()}`)
    const err = await rejection(parley.conversations.hold(convId!, 'not ours'))
    expect(err).toBeInstanceOf(NotFoundError)
    expect(err.code).toBe('PARLEY_ERR_CONV_NOT_FOUND')
    expect((await relay.deps.store.getConversation(other.brandId, convId!))?.legalHold ?? null).toBeNull()
  })

  it('refuses a blank reason, a supervisor and a key without data:erase', async () => {
    const [convId] = await seedConversations(relay, brand.brandId, 1, `refused-${Date.now()}`)
    const url = `/v1/conversations/${convId}/hold`
    expectErrorBody(await callRest(relay, { method: 'PUT', url, token: brand.apiKey, body: { reason: '   ' } }), 'PARLEY_ERR_REQUEST_INVALID')
    expectErrorBody(await callRest(relay, { method: 'PUT', url, token: brand.apiKey, body: {} }), 'PARLEY_ERR_REQUEST_INVALID')
    const supervisor = await createTestAgent(relay, brand.brandId, 'Sup', 'supervisor')
    expectErrorBody(await callRest(relay, { method: 'PUT', url, token: supervisor.token, body: { reason: 'x' } }), 'PARLEY_ERR_AUTH_ROLE')
    const key = await callRest(relay, { method: 'POST', url: '/v1/keys', token: brand.apiKey, body: { name: 'transcripts only', scopes: ['transcripts:read'] } })
    expect(key.status, key.raw).toBe(201)
    expectErrorBody(await callRest(relay, { method: 'DELETE', url, token: key.body.secret, body: undefined }), 'PARLEY_ERR_AUTH_SCOPE')
    expect((await relay.deps.store.getConversation(brand.brandId, convId!))?.legalHold ?? null).toBeNull()
  })
})

describe('the privacy settings', () => {
  let relay: TestRelay
  let parley: Parley
  beforeAll(async () => {
    relay = await startRelay()
    const brand = await createTestBrand(relay)
    parley = new Parley({ relay: relay.url, apiKey: brand.apiKey })
  })
  afterAll(async () => { await relay.close() })

  it('are {} until saved, then set, patched and turned off again', async () => {
    expect(await parley.privacy.get()).toEqual({})
    expect(await parley.privacy.set({ transcriptRetentionDays: 30, erasureGraceDays: 7 })).toEqual({ transcriptRetentionDays: 30, erasureGraceDays: 7 })
    expect(await parley.privacy.update({ offlineRetentionDays: 14, erasureGraceDays: null })).toEqual({ transcriptRetentionDays: 30, offlineRetentionDays: 14 })
    expect(await parley.privacy.get()).toEqual({ transcriptRetentionDays: 30, offlineRetentionDays: 14 })
  })

  it('refuses a period out of range and keeps the saved one', async () => {
    const before = await parley.privacy.get()
    expect((await rejection(parley.privacy.update({ transcriptRetentionDays: 0 }))).code).toBe('PARLEY_ERR_REQUEST_INVALID')
    expect((await rejection(parley.privacy.set({ offlineRetentionDays: 3651 }))).code).toBe('PARLEY_ERR_REQUEST_INVALID')
    expect(await parley.privacy.get()).toEqual(before)
  })
})
