import { createHmac, randomBytes } from 'node:crypto'
import type { Deps } from './deps.js'
import { createBrand } from './admin/brands.js'
import { createAgent } from './admin/agents.js'
import { hashApiKey } from './auth/api-keys.js'
import { readJson, writeJson } from './data-dir.js'
import { demoBusinessHours, demoRules } from './demo-rules.js'
import { demoSurveys } from './demo-surveys.js'
import { saveSurveys } from './surveys/survey-versions.js'

/** The demo brand and agent login, printed on every `npm start`. */
export interface DemoSetup {
  brandId: string
  siteKey: string
  apiKey: string
  agentEmail: string
  agentPassword: string
  origins: string[]
}

const DEMO_FILE = 'demo.json'

/**
 * Creates the demo brand and agent on first run and remembers their credentials in the data dir
 * (mode 0600), so later runs print the same login. The demo brand allows the next port's origin,
 * where the demo brand page is served. With `rules`, a demo brand that has no deployment rules yet
 * gets the demo's rules and business hours (demo-rules.ts); rules the brand saved are left alone.
 * With `surveys`, a demo brand that never saved surveys gets the demo's pre-chat and post-chat
 * surveys (demo-surveys.ts), versioned as a save through the API would; surveys it saved are left alone.
 *
 * With `shared` (several nodes on one database, each with a data dir of its own) the demo's ids and
 * credentials are derived from the token secret the nodes share, so every node arrives at the same
 * demo brand however many start at once: the one whose create wins installs the rules and surveys,
 * the others find the brand and leave it as it is.
 */
export async function ensureDemo(deps: Deps, dataDir: string, relayPort: number, opts: { rules?: boolean; surveys?: boolean; shared?: boolean } = {}): Promise<DemoSetup> {
  const { setup, created } = opts.shared ? await ensureSharedDemoBrand(deps, dataDir, relayPort) : { setup: await ensureDemoBrand(deps, dataDir, relayPort), created: true }
  if (!created) return setup
  if (opts.rules && !(await deps.store.getRulesConfig(setup.brandId))) {
    const now = deps.clock.now()
    await deps.store.setBusinessHours(setup.brandId, demoBusinessHours(now))
    await deps.store.setRulesConfig(setup.brandId, { rules: demoRules(setup.origins[1] ?? setup.origins[0]!, now) })
  }
  if (opts.surveys && !(await deps.store.getSurveysConfig(setup.brandId))) {
    await saveSurveys(deps.store, setup.brandId, demoSurveys(), deps.clock.now())
  }
  return setup
}

async function ensureDemoBrand(deps: Deps, dataDir: string, relayPort: number): Promise<DemoSetup> {
  const known = readJson<DemoSetup>(dataDir, DEMO_FILE)
  if (known && (await deps.store.getBrand(known.brandId))) return known
  const origins = demoOrigins(relayPort)
  const { brand, apiKey } = await createBrand(deps, { name: DEMO_NAME, origins })
  const setup: DemoSetup = { brandId: brand.brandId, siteKey: brand.siteKey, apiKey, agentEmail: DEMO_AGENT_EMAIL, agentPassword: randomBytes(9).toString('base64url'), origins }
  await furnishDemoBrand(deps, setup)
  writeJson(dataDir, DEMO_FILE, setup)
  return setup
}

/**
 * The shared demo brand: found, or created under ids derived from the token secret. Two nodes may
 * race to create it; the loser's create fails on the taken id and it finds the winner's brand.
 */
async function ensureSharedDemoBrand(deps: Deps, dataDir: string, relayPort: number): Promise<{ setup: DemoSetup; created: boolean }> {
  const derive = (what: string) => createHmac('sha256', deps.tokenSecret).update(`parley demo: ${what}`).digest('base64url')
  const setup: DemoSetup = {
    brandId: `b_${derive('brand id').slice(0, 22)}`, siteKey: `site_${derive('site key').slice(0, 22)}`,
    apiKey: `sk_${derive('api key')}`, agentEmail: DEMO_AGENT_EMAIL, agentPassword: derive('agent password').slice(0, 12),
    origins: demoOrigins(relayPort),
  }
  let created = false
  if (!(await deps.store.getBrand(setup.brandId))) {
    try {
      await deps.store.createBrand({
        brandId: setup.brandId, name: DEMO_NAME, siteKey: setup.siteKey, allowedOrigins: setup.origins,
        apiKeyHash: hashApiKey(setup.apiKey), apiKeyPrefix: setup.apiKey.slice(0, 7), createdAt: deps.clock.now(),
      })
      created = true
    } catch (err) {
      if (!(await deps.store.getBrand(setup.brandId))) throw err
    }
  }
  // Both idempotent, so a node that lost the race (or follows a creator that crashed) may repeat them.
  await furnishDemoBrand(deps, setup)
  writeJson(dataDir, DEMO_FILE, setup)
  return { setup, created }
}

const DEMO_NAME = 'Parley Demo'
const DEMO_AGENT_EMAIL = 'agent@demo.parley.test'

/** The demo site's origins: the port after the relay's. */
function demoOrigins(relayPort: number): string[] {
  const demoPort = relayPort + 1
  return [`http://localhost:${demoPort}`, `http://127.0.0.1:${demoPort}`]
}

/**
 * The demo agent (kept when the e-mail is taken) and the demo widget's look. The demo agent is an
 * admin, so whoever tries the demo sees every page of the console (accounts, keys, the audit log).
 */
async function furnishDemoBrand(deps: Deps, setup: DemoSetup): Promise<void> {
  await createAgent(deps, { brandId: setup.brandId, email: setup.agentEmail, name: 'Dana (demo agent)', password: setup.agentPassword, role: 'admin' })
  await deps.store.setWidgetConfig(setup.brandId, {
    color: '#0f6e5a', position: 'right', tracking: 'on',
    texts: { en: { title: 'Parley Demo Shop', greeting: 'Hi! Questions about an order? We usually answer in a minute.' } },
  })
}
