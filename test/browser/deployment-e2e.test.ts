import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page, Response } from 'playwright-core'
import { Parley } from '@parley/sdk'
import type { BusinessHours, Rule } from '@parley/sdk/contract'
import { describeWithChromium, launchChromium } from '../helpers/chromium.js'
import { startDemoRelay, type DemoRelay } from '../helpers/demo-relay.js'
import { signInToConsole, visitorDetail } from '../helpers/console-page.js'
import { until } from '../helpers/until.js'

// Issue 14's scenario, end to end, on the demo as `npm start` runs it: a brand sets through the SDK
// "returning visitors on /pricing for 5 s get an offer banner; outside business hours everyone gets
// the offline form; on /checkout nothing shows". Real visits in Chromium prove each path, SPA
// navigation included; the offline form's message reaches a real console as an offline
// conversation; the agent going away flips a page to the offline form within one availability poll.
// Time is controlled with business hours set relative to now, never with a fake clock in the page.

/** The relay's availability poll interval for this suite (`pollMs`; the default is 5 s). */
const POLL_MS = 2000
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
const ZONE = 'America/New_York'

/** The rules, in the order that makes its policy: the checkout first, then the offline form, then the offer. */
const RULES: Rule[] = [
  { id: 'checkout-quiet', name: 'Nothing on the checkout', when: { fact: 'path', op: 'prefix', value: '/checkout' }, action: { type: 'hide' } },
  {
    id: 'after-hours', name: 'Offline form when nobody can answer',
    when: { any: [{ fact: 'businessHours', op: 'is', value: false }, { fact: 'agentsAvailable', op: 'lt', value: 1 }] },
    action: { type: 'offline-form' },
  },
  {
    id: 'pricing-offer', name: 'Coupon for returning visitors on pricing',
    when: { all: [{ fact: 'path', op: 'is', value: '/pricing' }, { fact: 'returning', op: 'is', value: true }, { fact: 'timeOnPageSec', op: 'gte', value: 5 }] },
    action: { type: 'offer', text: 'Welcome back! 10 % off today.', code: 'WELCOME10' },
    cap: { days: 7 },
  },
]

/** The wall clock in `zone` at `at`, as business hours write it. */
function clockIn(zone: string, at: number): string {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone: zone, hourCycle: 'h23', hour: '2-digit', minute: '2-digit' })
    .formatToParts(at).map((x) => [x.type, x.value]))
  return `${p.hour}:${p.minute}`
}

/** Every day open from `fromMin` to `toMin` minutes from now (an interval past midnight runs overnight). */
function hoursFromNow(fromMin: number, toMin: number): BusinessHours {
  const now = Date.now()
  const interval = { from: clockIn(ZONE, now + fromMin * 60_000), to: clockIn(ZONE, now + toMin * 60_000) }
  return { timeZone: ZONE, weekly: Object.fromEntries(DAYS.map((d) => [d, [interval]])) as BusinessHours['weekly'] }
}

describeWithChromium("deployment rules end to end: the issue's scenario in Chromium", () => {
  let demo: DemoRelay
  let browser: Browser
  let parley: Parley
  let agentConsole: Page
  const contexts: BrowserContext[] = []

  beforeAll(async () => {
    demo = await startDemoRelay(['--availability-poll-ms', String(POLL_MS)])
    browser = await launchChromium()
    parley = new Parley({ relay: demo.url, apiKey: demo.demo.apiKey })
    await parley.businessHours.set(hoursFromNow(-60, 120))
    await parley.rules.set(RULES)
    // The demo agent signs in to a real console: connected, never chose a status, so available.
    agentConsole = await (await newContext()).newPage()
    await signInToConsole(agentConsole, demo)
    await agentConsole.getByRole('heading', { name: /^Queue/ }).waitFor()
    await until(async () => (await availability()).agentsAvailable === 1, 'the demo agent available', 15_000)
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await demo?.close()
  })

  async function newContext(): Promise<BrowserContext> {
    const ctx = await browser.newContext()
    contexts.push(ctx)
    return ctx
  }

  /** What a page of the demo site is told by GET /v1/sites/:siteKey/availability. */
  async function availability(): Promise<{ agentsAvailable: number; inHours: boolean }> {
    const res = await fetch(`${demo.url}/v1/sites/${demo.demo.siteKey}/availability`, { headers: { origin: demo.siteUrl } })
    return (await res.json()) as { agentsAvailable: number; inHours: boolean }
  }

  const widget = (p: Page) => p.locator('parley-chat')
  const launcher = (p: Page) => widget(p).getByRole('button', { name: /^Open chat/ })
  const offer = (p: Page) => widget(p).getByRole('region', { name: 'Offer' })

  /** What `Parley('why')` prints on the page: the decision and its trace. */
  async function why(p: Page): Promise<string> {
    const printed = p.waitForEvent('console', { predicate: (m) => m.text().startsWith('Parley'), timeout: 15_000 })
    await p.evaluate(() => (window as unknown as { Parley: (...a: unknown[]) => void }).Parley('why'))
    return (await printed).text()
  }

  /**
   * A visitor who came before: a first page view, then, as if 31 minutes passed, the widget's own
   * count moved back (from a page of the site without the widget, so nothing writes it meanwhile).
   * Their next page view starts a second visit: returning.
   */
  async function returningVisitor(): Promise<Page> {
    const page = await (await newContext()).newPage()
    await page.goto(`${demo.siteUrl}/`)
    await launcher(page).waitFor()
    const key = `parley:${demo.demo.siteKey}:tally`
    await until(() => page.evaluate((k) => localStorage.getItem(k), key), 'the first visit counted')
    await page.goto(`${demo.siteUrl}/favicon.ico`)
    await page.evaluate((k) => {
      const t = JSON.parse(localStorage.getItem(k)!) as { lastSeen: number; visitStart: number }
      localStorage.setItem(k, JSON.stringify({ ...t, visitStart: t.visitStart - 31 * 60_000, lastSeen: t.lastSeen - 31 * 60_000 }))
    }, key)
    return page
  }

  it('shows a returning visitor on /pricing the offer after 5 s; SPA navigation to /checkout hides everything, and back brings it again', async () => {
    const page = await returningVisitor()
    await page.goto(`${demo.siteUrl}/pricing`)
    await launcher(page).waitFor()
    await offer(page).waitFor({ timeout: 20_000 })
    // Not before the visitor has been on the page for 5 s (the page's own clock, from navigation).
    expect(await page.evaluate(() => performance.now())).toBeGreaterThanOrEqual(5000)
    expect(await offer(page).innerText()).toContain('Welcome back! 10 % off today.')
    expect(await offer(page).locator('code').innerText()).toBe('WELCOME10')
    expect(await why(page)).toMatch(/^Parley shows: offer \(rule "pricing-offer"\)/)

    // The shop's own link: history.pushState, no page load (the marker survives).
    await page.evaluate(() => { (window as unknown as { spaMarker: boolean }).spaMarker = true })
    await page.getByRole('link', { name: 'Go to checkout' }).click()
    await page.waitForURL(`${demo.siteUrl}/checkout`)
    await launcher(page).waitFor({ state: 'detached' })
    expect(await offer(page).count()).toBe(0)
    expect(await page.evaluate(() => (window as unknown as { spaMarker?: boolean }).spaMarker)).toBe(true)
    expect(await why(page)).toMatch(/^Parley shows: hide \(rule "checkout-quiet"\)\n {2}checkout-quiet: matched/)

    await page.getByRole('link', { name: 'Back to pricing' }).click()
    await page.waitForURL(`${demo.siteUrl}/pricing`)
    await launcher(page).waitFor()
    // A new page view: time on page starts again, so the offer comes back after another 5 s.
    await offer(page).waitFor({ timeout: 20_000 })

    // Dismissed, it stays away for the cap's 7 days, on this page and the next.
    await offer(page).getByRole('button', { name: 'No thanks' }).click()
    await offer(page).waitFor({ state: 'detached' })
    await page.reload()
    await launcher(page).waitFor()
    await expect.poll(() => why(page), { timeout: 15_000 }).toMatch(/\n {2}pricing-offer: capped: dismissed; capped until /)
    expect(await offer(page).count()).toBe(0)
  }, 90_000)

  it("gives a first-time visitor on /pricing the chat button, and Parley('why') says which test failed", async () => {
    const page = await (await newContext()).newPage()
    await page.goto(`${demo.siteUrl}/pricing`)
    await launcher(page).waitFor()
    const text = await why(page)
    expect(text).toMatch(/^Parley shows: button \(no rule matched\)/)
    expect(text).toContain('pricing-offer: not-matched: returning is true was false')
    expect(await offer(page).count()).toBe(0)
  }, 60_000)

  it('counts what the offer did, and the console draws it in its Rules view', async () => {
    // The first test's offer showed twice (two page views) and was dismissed once.
    const stats = await until(async () => {
      const s = await parley.rules.stats({ days: 1 })
      const arm = s.rules.find((r) => r.ruleId === 'pricing-offer')?.arms.find((a) => a.arm === 'treatment')
      return arm && arm.totals.impressions >= 2 && arm.totals.dismissals >= 1 ? arm : null
    }, 'the offer counted', 15_000)
    expect(stats.totals.chats).toBe(0)
    await agentConsole.getByRole('button', { name: 'Rules' }).click()
    const rule = agentConsole.getByRole('listitem').filter({ has: agentConsole.getByRole('heading', { name: /Coupon for returning visitors on pricing/ }) })
    await rule.getByRole('img', { name: /^pricing-offer, treatment: \d+ impressions/ }).waitFor({ timeout: 15_000 })
    const impressions = Number(await rule.locator('.totals td').first().innerText())
    expect(impressions).toBeGreaterThanOrEqual(2)
  }, 60_000)

  it("gives everyone the offline form outside business hours, and its message reaches the console as an offline conversation", async () => {
    await parley.businessHours.set(hoursFromNow(120, 180))
    await until(async () => !(await availability()).inHours, 'the relay closed')
    const page = await (await newContext()).newPage()
    await page.goto(`${demo.siteUrl}/`)
    await launcher(page).waitFor()
    await expect.poll(() => why(page), { timeout: 15_000 }).toMatch(/^Parley shows: offline-form \(rule "after-hours"\)/)
    await launcher(page).click()
    const form = widget(page).getByRole('dialog', { name: 'Leave us a message' })
    await form.getByLabel('Name').fill('Ada Lovelace')
    await form.getByLabel('E-mail').fill('ada@example.com')
    await form.getByLabel('Message').fill('Please call me back about the Assam order')
    await form.getByRole('button', { name: 'Send' }).click()
    await form.getByText('Thank you! We will reply by e-mail.').waitFor({ timeout: 15_000 })

    // The console, open all along, sees it arrive in the queue, marked offline with the contact.
    const waiting = agentConsole.locator('.queue li', { hasText: 'Please call me back about the Assam order' })
    await waiting.getByRole('note').waitFor({ timeout: 15_000 })
    expect(await waiting.getByRole('note').innerText()).toBe('Offline message from Ada Lovelace <ada@example.com>')
    await waiting.getByRole('button', { name: /^Accept/ }).click()
    const chat = agentConsole.getByRole('region', { name: 'Chat with Ada Lovelace' })
    await chat.getByRole('log').getByText('Please call me back about the Assam order').waitFor({ timeout: 15_000 })
    await chat.getByRole('note').waitFor({ timeout: 15_000 })
    expect(await chat.getByRole('note').innerText()).toBe('Offline message from Ada Lovelace <ada@example.com>')
    expect(await chat.getByRole('link', { name: 'ada@example.com' }).getAttribute('href')).toBe('mailto:ada@example.com')
    // After a reload the console rejoins the chat and still knows it as an offline message.
    await agentConsole.reload()
    await agentConsole.getByRole('button', { name: /^Ada Lovelace \(offline message\)/ }).waitFor({ timeout: 15_000 })
    expect(await chat.getByRole('note').innerText()).toBe('Offline message from Ada Lovelace <ada@example.com>')
    expect(await visitorDetail(agentConsole, 'Came through rule').innerText()).toBe('after-hours')
    const stored = []
    for await (const c of parley.conversations.list({ status: 'open' })) stored.push(c)
    expect(stored.find((c) => c.origin === 'offline')).toMatchObject({ contact: { name: 'Ada Lovelace', email: 'ada@example.com' } })

    // Outside hours too, the checkout stays quiet: its rule comes first.
    await page.goto(`${demo.siteUrl}/checkout`)
    await expect.poll(() => why(page), { timeout: 15_000 }).toMatch(/^Parley shows: hide \(rule "checkout-quiet"\)/)
    await launcher(page).waitFor({ state: 'detached' })
  }, 90_000)

  it('flips a page to the offline form within one availability poll of the last agent going away, and back when they return', async () => {
    await parley.businessHours.set(hoursFromNow(-60, 120))
    const page = await (await newContext()).newPage()
    const answers: Promise<{ agentsAvailable: number }>[] = []
    page.on('response', (r: Response) => { if (r.url().includes('/availability')) answers.push(r.json() as Promise<{ agentsAvailable: number }>) })
    await page.goto(`${demo.siteUrl}/`)
    await launcher(page).waitFor()
    // The page knows the agent is there: an answer said so, and the rules chose the button.
    await until(async () => (await Promise.all(answers)).some((a) => a.agentsAvailable === 1), 'an answer with the agent available', 15_000)
    await expect.poll(() => why(page), { timeout: 15_000 }).toMatch(/^Parley shows: button \(no rule matched\)/)

    // The agent chooses "Away" in the console's status selector; the relay acknowledges the change.
    const choose = async (status: 'available' | 'away') => {
      const select = agentConsole.getByLabel('My status')
      await until(() => select.isEnabled(), 'the status selector ready')
      const saved = agentConsole.waitForResponse((r) => r.url().endsWith('/v1/agent/status') && r.request().method() === 'PUT')
      await select.selectOption(status)
      expect((await saved).status()).toBe(200)
    }
    // Within the documented delay (pollMs + 1 s), counted in answers rather than seconds: the page's
    // next poll, or at worst the one after it when the relay's 1 s cache still held the old count,
    // says what changed, and the page shows it.
    const flipsWithin = async (status: 'available' | 'away', expected: number, decision: RegExp) => {
      await choose(status)
      const from = answers.length
      await expect.poll(() => why(page), { timeout: 15_000 }).toMatch(decision)
      const told = (await Promise.all(answers.slice(from))).findIndex((a) => a.agentsAvailable === expected)
      expect(told).toBeGreaterThanOrEqual(0)
      expect(told).toBeLessThanOrEqual(1)
    }
    await flipsWithin('away', 0, /^Parley shows: offline-form \(rule "after-hours"\)/)
    await flipsWithin('available', 1, /^Parley shows: button \(no rule matched\)/)
  }, 60_000)
})
