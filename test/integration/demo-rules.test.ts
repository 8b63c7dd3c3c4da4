import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkBusinessHours, checkRules, decide } from '@parley/sdk/rules'
import { ensureDemo } from '../../server/src/demo.js'
import { demoBusinessHours, demoRules } from '../../server/src/demo-rules.js'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { tempDir } from '../helpers/temp-dir.js'

// The demo brand's rule set (`npm start`): valid as the relay checks a save, one rule per action,
// each reachable by the visitor the docs describe, installed only while the brand has no rules.

const NOW = Date.parse('2026-12-02T12:00:00Z') // a Wednesday
const SITE = 'http://127.0.0.1:8081'

describe("the demo's rule set", () => {
  let relay: TestRelay
  const dirs: (() => void)[] = []
  beforeAll(async () => { relay = await startRelay() })
  afterAll(async () => {
    for (const remove of dirs) remove()
    await relay.close()
  })

  it('passes the checks a save runs, and shows every action', () => {
    const rules = demoRules(SITE, NOW)
    expect(checkRules({ rules })).toBeNull()
    expect(checkBusinessHours(demoBusinessHours(NOW, 'Europe/Paris'))).toBeNull()
    expect(new Set(rules.map((r) => r.action.type))).toEqual(new Set(['button', 'invite', 'offer', 'offline-form', 'hide']))
  })

  it.each([
    ['a page of the checkout', { url: `${SITE}/checkout` }, 'hide'],
    ['anyone while no agent is available', { url: `${SITE}/pricing`, agentsAvailable: 0 }, 'offline-form'],
    ['a returning visitor 5 s on /pricing', { url: `${SITE}/pricing`, agentsAvailable: 1, returning: true, timeOnPageSec: 5 }, 'offer'],
    ['a first visit on the home page', { url: `${SITE}/`, agentsAvailable: 1, returning: false, timeOnPageSec: 1 }, 'invite'],
    ['a first visit on /pricing', { url: `${SITE}/pricing`, agentsAvailable: 1, returning: false, timeOnPageSec: 30 }, 'button'],
  ])('gives %s: %s', (_who, visitor, action) => {
    const hours = demoBusinessHours(NOW, 'Europe/Paris')
    expect(decide(demoRules(SITE, NOW), visitor, hours, NOW).action.type).toBe(action)
  })

  it('closes outside the demo hours and on holidays, in the zone it is given', () => {
    const hours = demoBusinessHours(NOW, 'Europe/Paris')
    const rules = demoRules(SITE, NOW)
    const visitor = { url: `${SITE}/pricing`, agentsAvailable: 1 }
    expect(decide(rules, visitor, hours, Date.parse('2026-12-02T21:30:00Z')).action.type).toBe('offline-form') // 22:30 in Paris
    expect(decide(rules, visitor, hours, Date.parse('2026-12-25T12:00:00Z')).ruleId).toBe('offline-form')
    expect(decide(rules, visitor, hours, Date.parse('2026-12-05T12:00:00Z')).action.type).toBe('button') // Saturday 13:00
  })

  it('installs the rules and hours on a demo brand without rules, and leaves rules the brand saved alone', async () => {
    const { dir, remove } = tempDir()
    dirs.push(remove)
    const first = await ensureDemo(relay.deps, dir, 8080, { rules: true })
    expect((await relay.deps.store.getRulesConfig(first.brandId))?.rules.map((r) => r.id)).toEqual(['checkout-quiet', 'offline-form', 'pricing-offer', 'home-invite', 'everywhere-else'])
    expect(await relay.deps.store.getBusinessHours(first.brandId)).not.toBeNull()
    const own = { rules: [{ id: 'mine', action: { type: 'hide' as const } }] }
    await relay.deps.store.setRulesConfig(first.brandId, own)
    const again = await ensureDemo(relay.deps, dir, 8080, { rules: true })
    expect(again.brandId).toBe(first.brandId)
    expect(await relay.deps.store.getRulesConfig(first.brandId)).toEqual(own)
  })

  it('leaves a new demo brand without rules when asked to', async () => {
    const { dir, remove } = tempDir()
    dirs.push(remove)
    const demo = await ensureDemo(relay.deps, dir, 8080, { rules: false })
    expect(await relay.deps.store.getRulesConfig(demo.brandId)).toBeNull()
    expect(await relay.deps.store.getBusinessHours(demo.brandId)).toBeNull()
  })
})
