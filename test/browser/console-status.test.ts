import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { AgentPresenceList } from '@parley/sdk/contract'
import { describeWithChromium, launchChromium } from '../helpers/chromium.js'
import { startDemoRelay, type DemoRelay } from '../helpers/demo-relay.js'
import type { LiveClient } from '../helpers/live-client.js'
import { connectDemoAgent } from '../helpers/demo-agent.js'
import { signInToConsole } from '../helpers/console-page.js'
import { until } from '../helpers/until.js'
import { fetchRest } from '../helpers/rest.js'

// Agent status in the console, in Chromium against `parley start --demo`: the header's selector sets
// the agent's own status and idle minutes, and a colleague's badge follows what the colleague chose
// (or Offline once their last connection closes), live.

describeWithChromium('agent status in the console in Chromium', () => {
  let demo: DemoRelay
  let browser: Browser
  let context: BrowserContext
  const clients: LiveClient[] = []

  beforeAll(async () => {
    demo = await startDemoRelay()
    browser = await launchChromium()
    context = await browser.newContext({ viewport: { width: 1400, height: 900 } })
  }, 60_000)
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.conn.stop()))
    await context?.close()
    await browser?.close()
    await demo?.close()
  })

  const api = (method: string, path: string, token: string, body?: unknown) => fetchRest(demo.url, method, path, token, body)

  /** A colleague of the demo agent, signed in and connected (as another console would be). */
  async function colleague(name: string): Promise<{ agentId: string; token: string; client: LiveClient }> {
    const email = `${name.toLowerCase()}@colleagues.parley.test`
    const created = await api('POST', '/v1/agents', demo.demo.apiKey, { email, name, password: 'correct horse battery' })
    expect(created.status).toBe(201)
    const { token, client } = await connectDemoAgent(demo, { email, password: 'correct horse battery' }, clients)
    return { agentId: created.body.agentId, token, client }
  }

  const badge = (page: Page, agentId: string) => page.locator(`.team li[data-agent="${agentId}"]`)
  const myPresence = async () => {
    const list = (await api('GET', '/v1/agents/presence', demo.demo.apiKey)).body as AgentPresenceList
    return list.agents.find((a) => a.name !== 'Zoe')!
  }

  it("shows a colleague's chosen status and load, live, and Offline once they leave", async () => {
    const zoe = await colleague('Zoe')
    const page = await context.newPage()
    await signInToConsole(page, demo)
    await until(async () => (await badge(page, zoe.agentId).innerText().catch(() => '')).includes('Available'), 'Zoe available')
    expect(await badge(page, zoe.agentId).innerText()).toContain('0/3 chats')

    expect((await api('PUT', '/v1/agent/status', zoe.token, { status: 'away' })).status).toBe(200)
    await until(async () => (await badge(page, zoe.agentId).locator('.presence').innerText()) === 'Away', 'Zoe away')
    await api('PATCH', `/v1/agents/${zoe.agentId}`, demo.demo.apiKey, { capacity: 5 })
    await until(async () => (await badge(page, zoe.agentId).innerText()).includes('0/5 chats'), 'capacity 5')

    // The badge is Zoe's status, not her socket: she stays Away while connected, Offline once gone.
    await zoe.client.conn.stop()
    await until(async () => (await badge(page, zoe.agentId).locator('.presence').innerText()) === 'Offline', 'Zoe offline')
    await page.close()
  })

  it('sets my own status and idle minutes from the header', async () => {
    const page = await context.newPage()
    await signInToConsole(page, demo)
    const select = page.getByLabel('My status')
    await until(async () => (await select.isEnabled()), 'status known')
    expect(await select.inputValue()).toBe('available')
    await select.selectOption('away')
    await until(async () => (await myPresence()).status === 'away', 'away at the relay')
    await select.selectOption('available')
    await until(async () => (await myPresence()).status === 'available', 'available at the relay')

    const minutes = page.getByLabel('Away after idle (min, 0 = never)')
    expect(await minutes.inputValue()).toBe('10')
    await minutes.fill('0')
    await minutes.press('Enter')
    await until(async () => (await myPresence()).awayAfterMin === 0, 'never away')
    expect((await myPresence()).status).toBe('available')
    await page.close()
  })

  it('sets the agent away after their idle minutes, and back on their next activity', async () => {
    const page = await context.newPage()
    // The page's clock is the test's: a minute of idleness passes at once.
    await page.clock.install()
    await signInToConsole(page, demo)
    const select = page.getByLabel('My status')
    await until(async () => (await select.isEnabled()), 'status known')
    const minutes = page.getByLabel('Away after idle (min, 0 = never)')
    await minutes.fill('1')
    await minutes.press('Enter')
    await until(async () => (await myPresence()).awayAfterMin === 1, 'one minute')
    // A minute without a pong may also make the console reconnect (briefly offline): wait for the settled state.
    await page.clock.fastForward(61_000)
    await until(async () => { const me = await myPresence(); return me.status === 'away' && me.auto }, 'away (auto) after a minute idle')
    await until(async () => (await page.locator('.my-status').innerText()).includes('(idle)'), 'shown as idle')
    await page.mouse.move(200, 200)
    await page.mouse.move(300, 260)
    await until(async () => (await myPresence()).status === 'available', 'back on activity')
    expect(await select.inputValue()).toBe('available')
    await page.close()
  })
})
