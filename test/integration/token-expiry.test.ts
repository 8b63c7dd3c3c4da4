import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand, type TestBrand } from '../helpers/brand.js'
import { TestClient } from '../helpers/ws-client.js'
import { callRest } from '../helpers/rest.js'
import { expectErrorBody, expectRefusal } from '../helpers/expect-error.js'
import { createFakeClock } from '../helpers/fake-clock.js'
import { decodeToken, forgeToken } from '../helpers/forge-token.js'
import { closeAfterTest, sendAndAck, visitorOf } from '../helpers/tracked-clients.js'
import { listBrandConversations } from '../helpers/transcript.js'

// Expired tokens, on a relay whose clock stands still until the test moves it: refused with
// PARLEY_ERR_AUTH_TOKEN_EXPIRED from the token's expiresAt on, never a millisecond earlier.

const SECRET = Buffer.from('expiry-test-secret-expiry-test-secret!!')
const OTHER_SECRET = Buffer.from('not-the-relay-secret-not-the-relay-secret')

describe('token expiry', () => {
  const clock = createFakeClock(Date.UTC(2030, 0, 1))
  let relay: TestRelay
  beforeAll(async () => {
    relay = await startRelay({ clock, tokenSecret: SECRET, limits: { agentTokenTtlSeconds: 600, visitorTokenTtlSeconds: 3600 } })
  })
  afterAll(async () => { await relay.close() })

  /** An agent whose token expires at `expiresAt` (ms, fake clock). */
  async function agentWithExpiry(): Promise<{ brand: TestBrand; token: string; expiresAt: number }> {
    const brand = await createTestBrand(relay)
    const agent = await createTestAgent(relay, brand.brandId)
    return { brand, token: agent.token, expiresAt: (decodeToken(agent.token).claims.exp as number) * 1000 }
  }

  async function agentHello(token: string): Promise<TestClient> {
    const client = closeAfterTest(await TestClient.connect(relay.wsUrl))
    client.send({ type: 'hello', protocol: 1, auth: { kind: 'agent', token } })
    return client
  }

  it('accepts an agent token one millisecond before it expires', async () => {
    const { token, expiresAt } = await agentWithExpiry()
    clock.set(expiresAt - 1)
    const client = await agentHello(token)
    expect((await client.next('welcome')).identity.kind).toBe('agent')
  })

  it('refuses an expired agent token on the socket with PARLEY_ERR_AUTH_TOKEN_EXPIRED and close 4401', async () => {
    const { token, expiresAt } = await agentWithExpiry()
    clock.set(expiresAt)
    await expectRefusal(await agentHello(token), 'PARLEY_ERR_AUTH_TOKEN_EXPIRED')
  })

  it('answers an expired agent token over REST with 401 PARLEY_ERR_AUTH_TOKEN_EXPIRED', async () => {
    const { token, expiresAt } = await agentWithExpiry()
    clock.set(expiresAt + 1000)
    expectErrorBody(await callRest(relay, { url: '/v1/agents/me', token }), 'PARLEY_ERR_AUTH_TOKEN_EXPIRED')
  })

  it('refuses an expired visitor token with PARLEY_ERR_AUTH_TOKEN_EXPIRED and close 4401', async () => {
    const brand = await createTestBrand(relay)
    const v = await visitorOf(relay, brand)
    clock.set(v.welcome.identity.kind === 'visitor' ? v.welcome.identity.expiresAt : 0)
    const client = closeAfterTest(await TestClient.connect(`${relay.wsUrl}?site=${brand.siteKey}`))
    client.send({ type: 'hello', protocol: 1, auth: { kind: 'visitor', token: v.token } })
    await expectRefusal(client, 'PARLEY_ERR_AUTH_TOKEN_EXPIRED')
  })

  it("answers an expired visitor token over REST with 401 PARLEY_ERR_AUTH_TOKEN_EXPIRED and none of the visitor's data", async () => {
    const brand = await createTestBrand(relay)
    const v = await visitorOf(relay, brand)
    await sendAndAck(v.client, 'v-conv', 'm1', 'visitor private')
    clock.advance(3600 * 1000)
    const res = await callRest(relay, { url: '/v1/conversations', token: v.token })
    expectErrorBody(res, 'PARLEY_ERR_AUTH_TOKEN_EXPIRED')
    expect(res.raw).not.toContain('v-conv')
    expect(await listBrandConversations(relay, brand)).toHaveLength(1)
  })

  it('answers an expired token with a forged signature as invalid, not expired', async () => {
    const { token, expiresAt } = await agentWithExpiry()
    clock.set(expiresAt + 1000)
    const forged = forgeToken({ claims: decodeToken(token).claims, secret: OTHER_SECRET })
    await expectRefusal(await agentHello(forged), 'PARLEY_ERR_AUTH_TOKEN_INVALID')
  })
})
