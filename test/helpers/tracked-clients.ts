import { onTestFinished } from 'vitest'
import type { ServerFrame, Welcome } from '@parley/sdk/contract'
import { until } from './until.js'
import type { TestRelay } from './start-relay.js'
import type { TestAgent, TestBrand } from './brand.js'
import { TestClient } from './ws-client.js'

// Clients for security tests, each closed when the test that opened it finishes, so a relay shared
// by a file never reaches its per-IP connection limit.

/** Registers `client` to be closed when the current test finishes; returns it. */
export function closeAfterTest(client: TestClient): TestClient {
  onTestFinished(() => { if (client.closeCode === null) client.ws.terminate() })
  return client
}

/** A socket on the visitor URL of `brand` that has not said hello yet. */
export async function visitorSocket(relay: TestRelay, brand: TestBrand, origin?: string): Promise<TestClient> {
  const client = await TestClient.connect(`${relay.wsUrl}?site=${encodeURIComponent(brand.siteKey)}`, origin ? { origin } : {})
  return closeAfterTest(client)
}

/** A visitor of `brand` past welcome (new, or returning with `token`). */
export async function visitorOf(relay: TestRelay, brand: TestBrand, token?: string): Promise<{ client: TestClient; welcome: Welcome; visitorId: string; token: string }> {
  const client = await visitorSocket(relay, brand)
  client.send({ type: 'hello', protocol: 1, auth: token ? { kind: 'visitor', token } : { kind: 'visitor' } })
  const welcome = await client.next('welcome')
  if (welcome.identity.kind !== 'visitor') throw new Error('expected a visitor identity')
  return { client, welcome, visitorId: welcome.identity.visitorId, token: welcome.identity.token }
}

/** An agent connection past welcome. */
export async function agentOf(relay: TestRelay, agent: TestAgent): Promise<TestClient> {
  const client = closeAfterTest(await TestClient.connect(relay.wsUrl))
  client.send({ type: 'hello', protocol: 1, auth: { kind: 'agent', token: agent.token } })
  await client.next('welcome')
  return client
}

/** Sends a message and waits for its ack; returns the stored seq. */
export async function sendAndAck(client: TestClient, convId: string, clientMsgId: string, text: string): Promise<number> {
  client.send({ type: 'message.send', convId, clientMsgId, text })
  const ack = await client.next('message.ack', (a) => a.clientMsgId === clientMsgId && a.convId === convId)
  return ack.seq
}

/** Waits for the first frame received of one of `types` (all frames so far count), e.g. welcome or error. */
export async function firstOf(client: TestClient, types: readonly ServerFrame['type'][]): Promise<ServerFrame> {
  return until(() => {
    const f = client.frames.find((x) => types.includes(x.type))
    if (f) return f
    if (client.closeCode !== null) throw new Error(`socket closed (${client.closeCode} ${client.closeReason}) before ${types.join('/')}`)
    return undefined
  }, types.join('/'))
}
