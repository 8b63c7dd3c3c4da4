import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { Parley } from '@parley/sdk'
import type { BusinessHours } from '@parley/sdk/contract'
import { describeWithChromium, launchChromium } from '../helpers/chromium.js'
import { startDemoRelay, type DemoRelay } from '../helpers/demo-relay.js'
import { signInToConsole } from '../helpers/console-page.js'

// The demo as `npm start` ships it, with its own rules: the offline form until an agent signs in,
// then the invitation from "Dana" on the home page (accepted, it opens the chat with its message),
// and nothing on the checkout. The demo's hours follow the machine's clock, so the suite replaces
// them with hours open around now, through the SDK; the rules stay the demo's.

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const

/** Open every day from an hour ago to two hours from now, in UTC. */
function openAroundNow(): BusinessHours {
  const clock = (at: number) => new Date(at).toISOString().slice(11, 16)
  const interval = { from: clock(Date.now() - 3600_000), to: clock(Date.now() + 7200_000) }
  return { timeZone: 'UTC', weekly: Object.fromEntries(DAYS.map((d) => [d, [interval]])) as BusinessHours['weekly'] }
}

describeWithChromium("the demo brand's own rules in Chromium", () => {
  let demo: DemoRelay
  let browser: Browser
  beforeAll(async () => {
    demo = await startDemoRelay(['--availability-poll-ms', '1000'], { demoRules: true })
    browser = await launchChromium()
    await new Parley({ relay: demo.url, apiKey: demo.demo.apiKey }).businessHours.set(openAroundNow())
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await demo?.close()
  })

  const widget = (p: Page) => p.locator('parley-chat')
  async function why(p: Page): Promise<string> {
    const printed = p.waitForEvent('console', { predicate: (m) => m.text().startsWith('Parley'), timeout: 15_000 })
    await p.evaluate(() => (window as unknown as { Parley: (...a: unknown[]) => void }).Parley('why'))
    return (await printed).text()
  }

  it('offers the offline form until an agent signs in, then invites on the home page; the checkout stays quiet', async () => {
    const page = await (await browser.newContext()).newPage()
    await page.goto(`${demo.siteUrl}/`)
    await expect.poll(() => why(page), { timeout: 15_000 }).toMatch(/^Parley shows: offline-form \(rule "offline-form"\)/)

    const agentConsole = await (await browser.newContext()).newPage()
    await signInToConsole(agentConsole, demo)
    await expect.poll(() => why(page), { timeout: 15_000 }).toMatch(/^Parley shows: invite \(rule "home-invite"\)/)
    const invitation = widget(page).getByRole('region', { name: 'Invitation' })
    await invitation.waitFor({ timeout: 20_000 })
    expect(await invitation.innerText()).toContain('Hi! Looking for a tea? Ask me anything.')
    expect(await invitation.innerText()).toContain('Dana')
    await invitation.getByRole('button', { name: 'Chat' }).click()
    await widget(page).getByRole('log').getByText('Hi! Looking for a tea? Ask me anything.').waitFor({ timeout: 15_000 })

    const other = await (await browser.newContext()).newPage()
    await other.goto(`${demo.siteUrl}/checkout`)
    await expect.poll(() => why(other), { timeout: 15_000 }).toMatch(/^Parley shows: hide \(rule "checkout-quiet"\)/)
    expect(await widget(other).getByRole('button', { name: /^Open chat/ }).count()).toBe(0)
  }, 90_000)
})
