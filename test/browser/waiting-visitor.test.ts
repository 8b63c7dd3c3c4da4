import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { describeWithChromium, launchChromium } from '../helpers/chromium.js'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand, type TestBrand } from '../helpers/brand.js'
import { createFakeClock } from '../helpers/fake-clock.js'
import { POST_SURVEY } from '../helpers/survey-brand.js'
import { TestClient } from '../helpers/ws-client.js'
import { until } from '../helpers/until.js'
import { signInAs } from '../helpers/console-page.js'
import { EN } from '../../widget/src/i18n/strings.js'

// What a waiting visitor sees in the widget, in real Chromium against a real relay: their place in
// the queue and then the agent who took the chat, and their place again once the chat goes to a
// skill's queue; the brand's away message outside business hours;
// a quiet chat closing itself with its notice, then the post-chat survey. The relay's clock is the
// fake one, so thirty quiet minutes pass at once.

const WIDGET_DIST = fileURLToPath(new URL('../../widget/dist', import.meta.url))
const MIN = 60_000

describeWithChromium('a waiting visitor in the widget', () => {
  const clock = createFakeClock()
  let relay: TestRelay
  let browser: Browser
  /** The brand's site: a real server on loopback (Chromium keeps other pages from loading scripts off loopback). */
  let site: Server
  let SHOP = ''
  const contexts: BrowserContext[] = []

  beforeAll(async () => {
    relay = await startRelay({ widgetDir: WIDGET_DIST, clock, relay: { inactivitySweepMs: 50 } })
    site = createServer((req, res) => {
      const siteKey = new URL(req.url ?? '/', 'http://x').searchParams.get('site') ?? ''
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      res.end(`<!doctype html><html lang="en"><title>Shop</title><body><h1>Shop</h1>
        <script>window.Parley=window.Parley||function(){(Parley.q=Parley.q||[]).push(arguments)}</script>
        <script async src="${relay.url}/parley.js" data-site="${siteKey}"></script></body></html>`)
    })
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve))
    SHOP = `http://127.0.0.1:${(site.address() as AddressInfo).port}`
    browser = await launchChromium()
  }, 60_000)
  afterAll(async () => {
    for (const c of contexts) await c.close()
    await browser?.close()
    site?.close()
    await relay?.close()
  })

  const widget = (p: Page) => p.locator('parley-chat')
  const status = (p: Page) => widget(p).locator('header p')

  /** A visitor's page on the brand's site, with the widget's script tag. */
  async function visit(brand: TestBrand): Promise<Page> {
    const ctx = await browser.newContext({ viewport: { width: 1000, height: 800 }, locale: 'en-US' })
    contexts.push(ctx)
    const page = await ctx.newPage()
    await page.goto(`${SHOP}/?site=${encodeURIComponent(brand.siteKey)}`)
    await widget(page).getByRole('button', { name: EN.launcher }).click()
    return page
  }

  async function write(page: Page, text: string): Promise<void> {
    const box = widget(page).getByRole('textbox', { name: EN.message })
    await box.fill(text)
    await box.press('Enter')
    await until(async () => (await widget(page).locator('li.me .s').allInnerTexts()).includes(EN.sent), `"${text}" sent`, 15_000)
  }

  it('shows the visitor their place while they wait, then the agent who took the chat', async () => {
    const brand = await createTestBrand(relay, SHOP)
    const agent = await createTestAgent(relay, brand.brandId, 'Dana')
    const { client: console } = await TestClient.agent(relay.wsUrl, agent.token)
    const first = await visit(brand)
    await write(first, 'First in line')
    await until(async () => (await status(first).innerText()) === EN.queueNext, 'next in line', 15_000)
    // The relay's clock stands still unless moved: the second chat opens a second later.
    clock.advance(1000)
    const second = await visit(brand)
    await write(second, 'Second in line')
    await until(async () => (await status(second).innerText()) === 'You are 2nd in line', '2nd in line', 15_000)

    const [opened] = await relay.deps.store.listQueue(brand.brandId, 1, { order: 'priority' })
    console.send({ type: 'conversation.accept', convId: opened!.conversation.convId, ref: 'a1' })
    await until(async () => (await status(first).innerText()) === 'Dana joined the chat', 'the agent on the first page', 15_000)
    await until(async () => (await status(second).innerText()) === EN.queueNext, 'second moves up', 15_000)

    // Dana hands the first chat to a skill's queue: nobody holds it, so her name goes and the place shows.
    // A skill no agent of the brand has is refused, so Dana has it.
    await relay.deps.store.updateAgent(brand.brandId, agent.agentId, { skills: ['billing'] })
    console.send({ type: 'conversation.transfer', convId: opened!.conversation.convId, skill: 'billing', ref: 't1' })
    await until(async () => / in line$/.test(await status(first).innerText()), 'the place again after the transfer', 15_000)
    expect(await status(first).getAttribute('role')).toBe('status')
    console.close()
  })

  it('shows the brand’s away message outside business hours', async () => {
    const brand = await createTestBrand(relay, SHOP)
    await relay.deps.store.setBusinessHours(brand.brandId, { timeZone: 'UTC', weekly: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] } })
    const page = await visit(brand)
    await until(async () => (await widget(page).locator('li.g').count()) === 1, 'the first bubble', 15_000)
    expect(await widget(page).locator('li.g').innerText()).toBe(EN.away)

    const open = await createTestBrand(relay, SHOP)
    const inHours = await visit(open)
    await until(async () => (await widget(inHours).locator('li.g').count()) === 1, 'the first bubble', 15_000)
    expect(await widget(inHours).locator('li.g').innerText()).toBe(EN.greeting)
  })

  it('shows the away message once business hours end with the page open', async () => {
    const brand = await createTestBrand(relay, SHOP)
    const nineToFive = [{ from: '09:00', to: '17:00' }]
    await relay.deps.store.setBusinessHours(brand.brandId, { timeZone: 'UTC', weekly: { mon: nineToFive, tue: nineToFive, wed: nineToFive, thu: nineToFive, fri: nineToFive, sat: nineToFive, sun: nineToFive } })
    const ctx = await browser.newContext({ viewport: { width: 1000, height: 800 }, locale: 'en-US' })
    contexts.push(ctx)
    const page = await ctx.newPage()
    // The page's clock: a minute before closing time.
    await page.clock.install({ time: new Date('2026-12-07T16:59:00Z') })
    await page.goto(`${SHOP}/?site=${encodeURIComponent(brand.siteKey)}`)
    await widget(page).getByRole('button', { name: EN.launcher }).click()
    await until(async () => (await widget(page).locator('li.g').count()) === 1, 'the first bubble', 15_000)
    expect(await widget(page).locator('li.g').innerText()).toBe(EN.greeting)
    // Only the clock moves: nothing else on the page has reason to redraw.
    await page.clock.setSystemTime(new Date('2026-12-07T17:00:30Z'))
    await page.clock.runFor(61_000)
    await until(async () => (await widget(page).locator('li.g').innerText()) === EN.away, 'the away message after closing time', 15_000)
  })

  it('closes a quiet chat with its notice in the widget and the console, then offers the post-chat survey', async () => {
    const brand = await createTestBrand(relay, SHOP)
    const agent = await createTestAgent(relay, brand.brandId, 'Dana')
    await relay.deps.store.setSurveysConfig(brand.brandId, { surveys: [POST_SURVEY], post: 'after' }, [POST_SURVEY], clock.now())
    const page = await visit(brand)
    await write(page, 'Hello, anyone?')
    const agentCtx = await browser.newContext({ viewport: { width: 1400, height: 900 } })
    contexts.push(agentCtx)
    const agentPage = await agentCtx.newPage()
    await signInAs(agentPage, `${relay.url}/console?brand=${brand.brandId}`, agent)
    await agentPage.getByRole('button', { name: /^Accept/ }).click()
    await until(async () => (await agentPage.locator('.chatview [role=log] .bubble').allInnerTexts()).includes('Hello, anyone?'), 'the chat in the console', 15_000)
    await until(async () => (await status(page).innerText()) === 'Dana joined the chat', 'the agent in the widget', 15_000)

    clock.advance(31 * MIN)
    const notice = 'This chat was closed after 30 minutes without a message.'
    await until(async () => (await widget(page).locator('.n').allInnerTexts()).includes(notice), 'the inactivity notice', 15_000)
    await until(async () => (await widget(page).getByRole('group', { name: 'How did we do?' }).count()) === 1, 'the post-chat survey', 15_000)
    await until(async () => (await agentPage.locator('.chatview .note').allInnerTexts()).includes('Closed after 30 minutes without a visitor message.'), 'the console note', 15_000)
  })
})
