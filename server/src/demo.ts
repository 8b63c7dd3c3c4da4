import { randomBytes } from 'node:crypto'
import type { Deps } from './deps.js'
import { createBrand } from './admin/brands.js'
import { createAgent } from './admin/agents.js'
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
 */
export async function ensureDemo(deps: Deps, dataDir: string, relayPort: number, opts: { rules?: boolean; surveys?: boolean } = {}): Promise<DemoSetup> {
  const setup = await ensureDemoBrand(deps, dataDir, relayPort)
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
  const demoPort = relayPort + 1
  const origins = [`http://localhost:${demoPort}`, `http://127.0.0.1:${demoPort}`]
  const { brand, apiKey } = await createBrand(deps, { name: 'Parley Demo', origins })
  const agentPassword = randomBytes(9).toString('base64url')
  const agentEmail = 'agent@demo.parley.test'
  await createAgent(deps, { brandId: brand.brandId, email: agentEmail, name: 'Dana (demo agent)', password: agentPassword })
  await deps.store.setWidgetConfig(brand.brandId, {
    color: '#0f6e5a', position: 'right', tracking: 'on',
    texts: { en: { title: 'Parley Demo Shop', greeting: 'Hi! Questions about an order? We usually answer in a minute.' } },
  })
  const setup: DemoSetup = { brandId: brand.brandId, siteKey: brand.siteKey, apiKey, agentEmail, agentPassword, origins }
  writeJson(dataDir, DEMO_FILE, setup)
  return setup
}
