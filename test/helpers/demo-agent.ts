import type { DemoRelay } from './demo-relay.js'
import { liveClient, type LiveClient } from './live-client.js'

// An agent of the demo brand outside the browser: signed in over REST, with the sdk's client
// connected from Node, as another console or agent tool would be.

/**
 * Signs `agent` in over REST and opens a live connection for them; the client is pushed onto
 * `clients` (for the suite to stop) before it is awaited open.
 */
export async function connectDemoAgent(demo: DemoRelay, agent: { email: string; password: string }, clients?: LiveClient[]): Promise<{ token: string; client: LiveClient }> {
  const res = await fetch(`${demo.url}/v1/agent/sessions`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ brandId: demo.demo.brandId, email: agent.email, password: agent.password }),
  })
  const { token } = (await res.json()) as { token: string }
  const client = liveClient({ url: `${demo.url.replace('http', 'ws')}/v1/live`, auth: { kind: 'agent', token } })
  clients?.push(client)
  await client.open()
  return { token, client }
}
