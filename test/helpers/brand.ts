import { randomBytes } from 'node:crypto'
import { createBrand } from '../../server/src/admin/brands.js'
import { agentRow } from '../../server/src/admin/agents.js'
import { hashPassword } from '../../server/src/auth/passwords.js'
import type { Deps } from '../../server/src/deps.js'
import type { NewBrand, Store } from '../../server/src/store/store.js'
import type { Role } from '@parley/sdk/contract'

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

const PASSWORD = 'correct horse battery'
// Every test agent has the same password, so its scrypt hash (about a quarter of a CPU-second) is
// made once per test process rather than once per agent. Each login still checks it on the real route.
let passwordHash: Promise<string> | undefined

/**
 * Creates an agent in `brandId` and logs them in over REST. The role defaults to supervisor (every
 * conversation of the brand, reports): tests of what the plain agent role may not do ask for `agent`.
 */
export async function createTestAgent(relay: { deps: Deps; url: string }, brandId: string, name = 'Agent', role: Role = 'supervisor'): Promise<TestAgent> {
  const email = `${randomBytes(4).toString('hex')}@agents.example`
  const password = PASSWORD
  const hash = await (passwordHash ??= hashPassword(PASSWORD))
  const agent = await relay.deps.store.createAgent(agentRow(relay.deps, { brandId, email, name, role }, hash))
  if (!agent) throw new Error('agent not created')
  const res = await fetch(`${relay.url}/v1/agent/sessions`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ brandId, email, password }),
  })
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`)
  const body = (await res.json()) as { token: string }
  return { agentId: agent.agentId, email, password, token: body.token }
}

/**
 * Creates a brand straight in `store`, for store tests (no relay, no API key): a random id, site key
 * and key hash, no origins, created at 1; `fields` replace any of these. Resolves to its id.
 */
export async function createStoreBrand(store: Pick<Store, 'createBrand'>, fields: Partial<NewBrand> = {}): Promise<string> {
  const random = (prefix: string) => `${prefix}${randomBytes(8).toString('hex')}`
  const brand: NewBrand = { brandId: random('b_'), name: 'Brand', siteKey: random('site_'), allowedOrigins: [], apiKeyHash: random('hash_'), createdAt: 1, ...fields }
  await store.createBrand(brand)
  return brand.brandId
}
