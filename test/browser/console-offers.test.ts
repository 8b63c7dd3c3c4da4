import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { describeWithChromium, launchChromium, liveSwitch, type LiveSwitch } from '../helpers/chromium.js'
import { startDemoRelay, type DemoRelay } from '../helpers/demo-relay.js'
import { liveClient, type LiveClient } from '../helpers/live-client.js'
import { signInToConsole } from '../helpers/console-page.js'
import { visitorWriting as visitorWritingOn } from '../helpers/widget-page.js'
import { until } from '../helpers/until.js'
import { fetchRest } from '../helpers/rest.js'

// Offered chats in the console, in Chromium against `parley start --demo` with automatic routing:
// a card whose end the relay said while the link was down, and how an offer is announced.

describeWithChromium('offered chats in the console in Chromium', () => {
  let demo: DemoRelay
  let browser: Browser
  let consoleContext: BrowserContext
  let con: Page
  let link: LiveSwitch
  const visitors: BrowserContext[] = []
  const clients: LiveClient[] = []

  const api = (method: string, path: string, token: string, body?: unknown) => fetchRest(demo.url, method, path, token, body)

  beforeAll(async () => {
    demo = await startDemoRelay()
    browser = await launchChromium()
    expect((await api('PUT', '/v1/routing', demo.demo.apiKey, { mode: 'automatic', offerTimeoutSec: 120 })).status).toBe(200)
    consoleContext = await browser.newContext({ viewport: { width: 1400, height: 900 } })
    link = await liveSwitch(consoleContext)
    con = await consoleContext.newPage()
    await signInToConsole(con, demo)
    await con.getByText('Nobody is waiting.').first().waitFor()
  }, 60_000)
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.conn.stop()))
    await Promise.all(visitors.map((c) => c.close()))
    await consoleContext?.close()
    await browser?.close()
    await demo?.close()
  })

  /** A visitor on the demo site who has written `text`, delivered. */
  const visitorWriting = (text: string) => visitorWritingOn(browser, demo.siteUrl, text, visitors)

  /** A colleague of the demo agent, connected as another console would be. */
  async function colleague(name: string): Promise<LiveClient> {
    const email = `${name.toLowerCase()}@offers.parley.test`
    const created = await api('POST', '/v1/agents', demo.demo.apiKey, { email, name, password: 'correct horse battery' })
    expect(created.status).toBe(201)
    const login = await fetch(`${demo.url}/v1/agent/sessions`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ brandId: demo.demo.brandId, email, password: 'correct horse battery' }),
    })
    const { token } = await login.json() as { token: string }
    // Away, so the relay offers new chats to the console's agent.
    expect((await api('PUT', '/v1/agent/status', token, { status: 'away' })).status).toBe(200)
    const client = liveClient({ url: `${demo.url.replace('http', 'ws')}/v1/live`, auth: { kind: 'agent', token } })
    clients.push(client)
    await client.open()
    return client
  }

  it('drops a card whose offer a colleague took while the link was down, once it is back', async () => {
    const ben = await colleague('Ben')
    await visitorWriting('Stale offer, please')
    const card = con.locator('.offer', { hasText: 'Stale offer, please' })
    await card.waitFor()
    const convId = await card.getAttribute('data-conv')
    // The bar measures the brand's 120 s, not 30: nearly full, not clamped at full for 90 s.
    const share = await card.locator('progress').evaluate((el) => (el as HTMLProgressElement).value)
    expect(share).toBeGreaterThan(0.9)
    expect(share).toBeLessThanOrEqual(1)
    await link.cut()
    // The offer ends (taken) while the console cannot hear it.
    await ben.conn.request({ type: 'conversation.accept', convId: convId! })
    link.restore()
    await until(async () => (await card.count()) === 0, 'the stale card gone after the reconnect', 20_000)
  }, 60_000)

  it('says each new offer once in a status line: who, and the seconds to answer', async () => {
    await visitorWriting('Announce me')
    const card = con.locator('.offer', { hasText: 'Announce me' })
    await card.waitFor()
    const status = con.locator('.offer-status')
    expect(await status.getAttribute('role')).toBe('status')
    const who = (await card.locator('h2 bdi').innerText()).trim()
    await until(async () => /seconds to answer/.test(await status.innerText()), 'announced')
    expect(await status.innerText()).toMatch(new RegExp(`^New chat offered: ${who}, 1[12]\\d seconds to answer\\.$`))
    // The card's countdown is not itself a live region that would speak every second.
    expect(await card.locator('[aria-live], [role=status]').count()).toBe(0)
  })
})
