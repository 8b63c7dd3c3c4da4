import { randomBytes } from 'node:crypto'
import { createBrand } from '../../server/src/admin/brands.js'
import { createAgent } from '../../server/src/admin/agents.js'
import type { Deps } from '../../server/src/deps.js'

/** A brand made for one test, so tests never see each other's data. */
export interface TestBrand {
  brandId: string
  siteKey: string
  apiKey: string
  origin: string
}

/** A logged-in agent of a test brand. */
export interface TestAgent {
  agentId: string
  email: string
  password: string
  token: string
}

/** Creates a brand allowing `origin` (default https://brand-N.example). */
export async function createTestBrand(relay: { deps: Deps }, origin?: string): Promise<TestBrand> {
  const o = origin ?? `https://brand-${randomBytes(4).toString('hex')}.example`
  const { brand, apiKey } = await createBrand(relay.deps, { name: 'Test brand', origins: [o] })
  return { brandId: brand.brandId, siteKey: brand.siteKey, apiKey, origin: o }
}

/** Creates an agent in `brandId` and logs them in over REST. */
export async function createTestAgent(relay: { deps: Deps; url: string }, brandId: string, name = 'Agent'): Promise<TestAgent> {
  const email = `${randomBytes(4).toString('hex')}@agents.example`
  const password = 'correct horse battery'
  const agent = await createAgent(relay.deps, { brandId, email, name, password })
  if (!agent) throw new Error('agent not created')
  const res = await fetch(`${relay.url}/v1/agent/sessions`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ brandId, email, password }),
  })
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`)
  const body = (await res.json()) as { token: string }
  return { agentId: agent.agentId, email, password, token: body.token }
}
