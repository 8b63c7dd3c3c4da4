import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SignJWT } from 'jose'
import { ConnectionError, createMemoryStorage } from '@parley/sdk/connection'
import type { MessagePage } from '@parley/sdk/contract'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestBrand, type TestBrand } from '../helpers/brand.js'
import { callRest } from '../helpers/rest.js'
import { liveClient, type LiveClient } from '../helpers/live-client.js'
import { until } from '../helpers/until.js'

// The live client's identify and forget on a real relay: messages written just before identifying
// are stored once each under the customer, a second client identifying as the customer follows the
// conversation, and after forget the old visitor token is refused and the client is a new visitor.

describe('connection identify and forget', () => {
  let relay: TestRelay
  let brand: TestBrand
  let secret: string
  const clients: LiveClient[] = []
  beforeAll(async () => {
    relay = await startRelay()
    brand = await createTestBrand(relay)
    const res = await callRest(relay, { method: 'POST', url: '/v1/identity/secrets', token: brand.apiKey })
    expect(res.status, res.raw).toBe(201)
    secret = res.body.secret
  })
  afterAll(async () => {
    for (const c of clients) await c.conn.stop()
    await relay.close()
  })

  let signed = 0
  function sign(sub: string): Promise<string> {
    const iat = Math.floor(Date.now() / 1000)
    return new SignJWT({ sub, name: 'Ada' }).setJti(`jti-${++signed}`).setProtectedHeader({ alg: 'HS256' }).setAudience(brand.brandId)
      .setIssuedAt(iat).setExpirationTime(iat + 300).sign(Buffer.from(secret, 'base64url'))
  }

  function visitor(): LiveClient {
    const c = liveClient({ url: `${relay.wsUrl}?site=${encodeURIComponent(brand.siteKey)}`, auth: { kind: 'visitor' } })
    clients.push(c)
    return c
  }

  async function storedTexts(convId: string): Promise<string[]> {
    const res = await callRest(relay, { url: `/v1/conversations/${convId}/messages?afterSeq=0&limit=100`, token: brand.apiKey })
    return (res.body as MessagePage).messages.map((m) => m.text)
  }

  it('stores the messages written around identify once each, under the customer, and another client follows them', async () => {
    const a = visitor()
    await a.open()
    const convId = a.conn.newConversationId()
    await a.conn.send(convId, 'one')
    // Written and identified in the same turn: the second message may still be in flight.
    const two = a.conn.send(convId, 'two')
    const customer = await a.conn.identify(await sign('cust-int-1'))
    await two
    await a.conn.send(convId, 'three')
    expect(customer.customerId).toBe('cust-int-1')
    await until(async () => (await a.conn.outbox()).length === 0, 'outbox empty', 10_000)
    expect(await storedTexts(convId)).toEqual(['one', 'two', 'three'])
    const welcome = a.conn.state.kind === 'open' ? a.conn.state.welcome : null
    expect(welcome?.identity.kind === 'visitor' && welcome.identity.customer?.customerId).toBe('cust-int-1')

    const b = visitor()
    await b.open()
    await b.conn.identify(await sign('cust-int-1'))
    await until(() => b.texts(convId).length === 3, "the customer's conversation on the second client", 10_000)
    expect(b.texts(convId)).toEqual(['one', 'two', 'three'])
  })

  it('rejects a bad token with its code, keeping the connection and its token', async () => {
    const a = visitor()
    await a.open()
    const before = await a.storage.get('parley:token')
    const err = await a.conn.identify('not.a.token').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ConnectionError)
    expect((err as ConnectionError).code).toMatch(/^PARLEY_ERR_IDENTITY_/)
    expect(a.conn.state.kind).toBe('open')
    expect(await a.storage.get('parley:token')).toBe(before)
  })

  it('forgets: the old visitor token is refused and the client comes back as a new visitor', async () => {
    const a = visitor()
    await a.open()
    await a.conn.identify(await sign('cust-int-2'))
    const convId = a.conn.newConversationId()
    await a.conn.send(convId, 'before logout')
    await until(async () => (await a.conn.outbox()).length === 0, 'sent', 10_000)
    const oldToken = await a.storage.get<string>('parley:token')
    await a.conn.forget()
    await a.open()
    const now = a.conn.state.kind === 'open' ? a.conn.state.welcome.identity : null
    expect(now?.kind === 'visitor' && now.customer).toBeFalsy()
    expect(await a.storage.get('parley:token')).not.toBe(oldToken)
    const stale = liveClient({ url: `${relay.wsUrl}?site=${encodeURIComponent(brand.siteKey)}`, auth: { kind: 'visitor', token: oldToken! } })
    clients.push(stale)
    await until(() => stale.conn.state.kind === 'stopped', 'old token refused', 10_000)
    // The close code (4401) stands for every auth refusal; the error frame before it says which.
    expect(stale.frames.filter((f) => f.type === 'error').map((f) => f.type === 'error' && f.code)).toEqual(['PARLEY_ERR_AUTH_SESSION_REVOKED'])
  })

  /** A new browser presenting `token`: the relay's refusal code, or null when it verified. */
  async function replayCode(token: string): Promise<string | null> {
    const other = visitor()
    await other.open()
    const err = await other.conn.identify(token).then(() => null, (e: unknown) => e)
    return err instanceof ConnectionError ? err.code : null
  }

  it('a forget sent right behind an identify reaches the relay: the token is refused afterwards', async () => {
    const a = visitor()
    await a.open()
    const token = await sign('cust-int-3')
    const identifying = a.conn.identify(token)
    await a.conn.forget()
    await identifying
    expect(await replayCode(token)).toBe('PARLEY_ERR_IDENTITY_REVOKED')
  })

  it('a forget while the socket is still connecting reaches the relay too', async () => {
    const a = visitor()
    await a.open()
    const token = await sign('cust-int-4')
    await a.conn.identify(token)
    await a.conn.stop()
    a.conn.start()
    await a.conn.forget()
    expect(await replayCode(token)).toBe('PARLEY_ERR_IDENTITY_REVOKED')
  })

  it('three page loads identifying with a fresh token each, then forget: all three are refused', async () => {
    const storage = createMemoryStorage()
    const tokens = [await sign('cust-int-5'), await sign('cust-int-5'), await sign('cust-int-5')]
    let page: LiveClient | null = null
    for (const [i, token] of tokens.entries()) {
      if (page) await page.conn.stop()
      page = liveClient({ url: `${relay.wsUrl}?site=${encodeURIComponent(brand.siteKey)}`, auth: { kind: 'visitor' }, storage })
      clients.push(page)
      await page.open()
      const visitorNow = (c: LiveClient) => (c.conn.state.kind === 'open' && c.conn.state.welcome.identity.kind === 'visitor' ? c.conn.state.welcome.identity.visitorId : null)
      const before = visitorNow(page)
      await page.conn.identify(token)
      if (i === 0) continue
      // The customer this visit already is: the same visitor, on the same socket.
      expect(visitorNow(page)).toBe(before)
      expect(page.frames.filter((f) => f.type === 'welcome')).toHaveLength(1)
    }
    await page!.conn.forget()
    for (const token of tokens) expect(await replayCode(token)).toBe('PARLEY_ERR_IDENTITY_REVOKED')
  })
})
