import { fileURLToPath } from 'node:url'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { runOnDemoRelay } from '../helpers/demo-example.js'

// Examples are documentation that must run: each one is executed against a real relay process.

const CHAT = fileURLToPath(new URL('../../examples/node-chat/chat.mjs', import.meta.url))
const CONFIGURE = fileURLToPath(new URL('../../examples/sdk-scripts/configure-demo.mjs', import.meta.url))
const RULES = fileURLToPath(new URL('../../examples/sdk-scripts/rules.mjs', import.meta.url))
const SURVEYS = fileURLToPath(new URL('../../examples/sdk-scripts/surveys.mjs', import.meta.url))
describe('examples', () => {
  const cleanup: (() => Promise<void> | void)[] = []
  afterEach(async () => { for (const c of cleanup.splice(0).reverse()) await c() })

  it('runs examples/node-chat against a relay started with --demo and leaves its transcript stored', async () => {
    const { dir, relay, stdout } = await runOnDemoRelay(CHAT, cleanup)
    expect(stdout).toContain('same ack (seq 1)')
    expect(stdout).toMatch(/caught up to seq 4:\n {2}3\. .+: Is there anything else I can help with\?\n {2}4\. /)

    const demo = JSON.parse(readFileSync(join(dir.dir, 'demo.json'), 'utf8')) as { apiKey: string }
    const list = await fetch(`${relay.url}/v1/conversations`, { headers: { authorization: `Bearer ${demo.apiKey}` } })
    const { conversations } = (await list.json()) as { conversations: { convId: string; status: string; lastSeq: number }[] }
    expect(conversations).toHaveLength(1)
    expect(conversations[0]).toMatchObject({ status: 'closed', lastSeq: 4 })
  })

  it('runs examples/sdk-scripts/configure-demo.mjs and leaves the demo brand configured', async () => {
    const { dir, relay, stdout } = await runOnDemoRelay(CONFIGURE, cleanup)
    expect(stdout).toContain('is now "Parley Demo Outfitters"')
    expect(stdout).toContain('refused as expected: PARLEY_ERR_MASKING_PATTERN')
    expect(stdout).toContain('masked: Order [order] was paid with [card]; write to [email]')

    const demo = JSON.parse(readFileSync(join(dir.dir, 'demo.json'), 'utf8')) as { siteKey: string; apiKey: string }
    const site = (await (await fetch(`${relay.url}/v1/sites/${demo.siteKey}/config`)).json()) as {
      brandName: string; widget: { color?: string; texts?: Record<string, { title?: string }> }; masking?: { email?: { enabled?: boolean } }
    }
    expect(site.brandName).toBe('Parley Demo Outfitters')
    expect(site.widget.color).toBe('#0a7d5a')
    expect(site.widget.texts?.fr?.title).toBe('Service client')
    const masking = await fetch(`${relay.url}/v1/masking`, { headers: { authorization: `Bearer ${demo.apiKey}` } })
    expect(await masking.json()).toEqual({
      email: { enabled: true },
      patterns: [{ name: 'order number', pattern: 'ORD-[0-9]{6}', replacement: '[order]' }],
    })
  })

  it('runs examples/sdk-scripts/rules.mjs and leaves the issue\'s rules and hours in the public config', async () => {
    const { dir, relay, stdout } = await runOnDemoRelay(RULES, cleanup)
    expect(stdout).toContain('refused as expected: PARLEY_ERR_RULES_INVALID')
    expect(stdout).toContain('rules: checkout-quiet, after-hours, pricing-offer')
    const decided = Object.fromEntries(stdout.split('\n').filter((l) => l.includes(' -> ')).map((l) => l.split(/\s+-> /).map((x) => x.trim())))
    expect(decided).toEqual({
      'returning visitor, 6 s on /pricing, 10:00': 'offer (pricing-offer)',
      'first visit, 6 s on /pricing, 10:00': 'button',
      'returning visitor, 2 s on /pricing, 10:00': 'button',
      'returning visitor on /pricing, 21:00': 'offline-form (after-hours)',
      'anyone, nobody available, 10:00': 'offline-form (after-hours)',
      'on /checkout, 21:00': 'hide (checkout-quiet)',
    })
    expect(stdout).toContain('why no offer on a first visit: returning is true was false')

    const demo = JSON.parse(readFileSync(join(dir.dir, 'demo.json'), 'utf8')) as { siteKey: string }
    const site = (await (await fetch(`${relay.url}/v1/sites/${demo.siteKey}/config`)).json()) as {
      rules?: { id: string }[]; businessHours?: { timeZone: string }
    }
    expect(site.rules?.map((r) => r.id)).toEqual(['checkout-quiet', 'after-hours', 'pricing-offer'])
    expect(site.businessHours?.timeZone).toBe('Europe/Paris')
  })

  it('runs examples/sdk-scripts/surveys.mjs, stores the answers masked with their routing and reports them', async () => {
    const { dir, relay, stdout } = await runOnDemoRelay(SURVEYS, cleanup)
    expect(stdout).toContain('refused as expected: PARLEY_ERR_SURVEYS_INVALID (Surveys are refused at surveys/0/fields/0/min:')
    expect(stdout).toContain('surveys: support v1, feedback v1; pre support, post feedback')
    expect(stdout).toContain('problems: name required, invoice format, consent required')
    expect(stdout).toContain('conversation routing: {"topic":"billing","skill":"billing","priority":"high"}')
    expect(stdout).toContain('"email":"ada@example.com"')
    expect(stdout).toContain('Card [card] was charged twice.')
    expect(stdout).not.toContain('4111')
    expect(stdout).toContain('today: 1 chat(s), 1 closed, response rate 1, CSAT 4, NPS 100')

    const demo = JSON.parse(readFileSync(join(dir.dir, 'demo.json'), 'utf8')) as { siteKey: string }
    const site = (await (await fetch(`${relay.url}/v1/sites/${demo.siteKey}/config`)).json()) as {
      surveys?: { pre?: string; post?: string; surveys: { id: string; version?: number }[] }
    }
    expect(site.surveys?.pre).toBe('support')
    expect(site.surveys?.post).toBe('feedback')
    expect(site.surveys?.surveys.map((s) => [s.id, s.version])).toEqual([['support', 1], ['feedback', 1]])
  })
})
