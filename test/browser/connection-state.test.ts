import { expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import type { QueueListed } from '@parley/sdk/contract'
import { describeWithChromium, liveSwitch } from '../helpers/chromium.js'
import { demoSuite } from '../helpers/demo-suite.js'
import { signInToConsole } from '../helpers/console-page.js'
import { until } from '../helpers/until.js'

// What the visitor and the agent are told about their connection, and what happens to messages
// written without one (issue 12). The network is cut the way DevTools does it (the context goes
// offline); a lost network must show within 5 s. The tests assert no time: their 10 s waits are
// what bound "within 5 s" here, while the seconds themselves are in the unit tests' fake clock.

describeWithChromium('connection state and queued messages in Chromium', () => {
  const suite = demoSuite({ agent: true })
  const contexts: BrowserContext[] = []


  const widget = (p: Page) => p.locator('parley-chat')
  const statuses = (p: Page) => widget(p).locator('li.me .s').allInnerTexts()
  const myLines = (p: Page) => widget(p).locator('[role=log] li.me .u').allInnerTexts()
  const notice = (p: Page) => widget(p).getByRole('status').filter({ hasText: 'Connection lost' })

  async function newVisitor(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await suite.browser.newContext()
    contexts.push(context)
    const page = await context.newPage()
    await page.goto(`${suite.demo.siteUrl}/`)
    return { context, page }
  }

  async function type(p: Page, text: string): Promise<void> {
    const box = widget(p).getByRole('textbox', { name: 'Message' })
    await box.fill(text)
    await box.press('Enter')
  }

  /** Opens the widget, sends `first` and has the agent accept the conversation; returns its id. */
  async function chatWithAgent(p: Page, first: string): Promise<string> {
    await widget(p).getByRole('button', { name: 'Open chat' }).click()
    await type(p, first)
    await until(async () => (await statuses(p)).includes('Sent'), 'first message sent', 15_000)
    const convId = await until(async () => {
      const q = await suite.agent.conn.request<QueueListed>({ type: 'queue.list' })
      return q.conversations.find((c) => c.preview === first)?.convId ?? null
    }, 'conversation queued', 15_000)
    await suite.agent.conn.request({ type: 'conversation.accept', convId })
    return convId
  }

  it('shows "Connection lost" within seconds of the network going offline', async () => {
    const { context, page } = await newVisitor()
    await chatWithAgent(page, 'before the cut')
    await context.setOffline(true)
    await type(page, 'written offline')
    // Before the fix the socket looked open until the 50 s idle limit; 10 s covers "within 5 s".
    await notice(page).waitFor({ timeout: 10_000 })
    await until(async () => (await statuses(page)).join('|') === 'Sent|Sending…', 'the new message waits')
    await context.setOffline(false)
  })

  it('notices a socket that went silent without any offline event while a message waits for its ack', async () => {
    const context = await suite.browser.newContext()
    contexts.push(context)
    // A network that dies without the browser noticing: the socket stays open, nothing gets through.
    let silent = false
    await context.routeWebSocket(/\/v1\/live/, (ws) => {
      const server = ws.connectToServer()
      server.onMessage((m) => { if (!silent) ws.send(m) })
      ws.onMessage((m) => { if (!silent) server.send(m) })
    })
    const page = await context.newPage()
    await page.goto(`${suite.demo.siteUrl}/`)
    const convId = await chatWithAgent(page, 'on a flaky line')
    silent = true
    await type(page, 'into the void')
    // The ack probe: 2 s without the ack, then 2.5 s without any frame; 10 s covers "within 5 s".
    await notice(page).waitFor({ timeout: 10_000 })
    silent = false
    // The next socket's hello was swallowed too; the online event makes the widget try at once.
    await context.setOffline(true)
    await context.setOffline(false)
    await until(() => suite.agent.texts(convId).includes('into the void'), 'agent has it', 15_000)
    await until(async () => (await statuses(page)).every((s) => s === 'Sent'), 'all sent', 15_000)
    expect(suite.agent.texts(convId).filter((t) => t === 'into the void')).toHaveLength(1)
  })

  it('shows "Connection lost" when the network goes offline during a chat, even with nothing waiting to go', async () => {
    const { context, page } = await newVisitor()
    await chatWithAgent(page, 'just reading')
    await context.setOffline(true)
    await notice(page).waitFor({ timeout: 10_000 })
    await context.setOffline(false)
    await notice(page).waitFor({ state: 'detached', timeout: 15_000 })
  })

  it('reconnects when the network returns and delivers the queued message exactly once', async () => {
    const { context, page } = await newVisitor()
    const convId = await chatWithAgent(page, 'hello from a train')
    await context.setOffline(true)
    await type(page, 'through the tunnel')
    await notice(page).waitFor({ timeout: 10_000 })
    await context.setOffline(false)
    await until(async () => (await statuses(page)).every((s) => s === 'Sent') && (await statuses(page)).length === 2, 'delivered', 15_000)
    await notice(page).waitFor({ state: 'detached' })
    await until(() => suite.agent.texts(convId).includes('through the tunnel'), 'agent has it', 15_000)
    expect(suite.agent.texts(convId).filter((t) => t === 'through the tunnel')).toHaveLength(1)
    expect((await myLines(page)).filter((t) => t === 'through the tunnel')).toHaveLength(1)
  })

  it("shows the console's connection as Online, Offline when its network goes, and Online once it is back", async () => {
    const context = await suite.browser.newContext()
    contexts.push(context)
    const page = await context.newPage()
    await signInToConsole(page, suite.demo)
    const badge = page.locator('header [role=status].status')
    await until(async () => (await badge.innerText()) === 'Online', 'online', 15_000)
    await context.setOffline(true)
    await until(async () => (await badge.innerText()) === 'Offline', 'badge says offline', 10_000)
    await context.setOffline(false)
    await until(async () => (await badge.innerText()) === 'Online', 'badge says online again', 15_000)
  })

  it("shows the console's connection as Reconnecting… while the relay can't be reached, and Online once it can", async () => {
    const context = await suite.browser.newContext()
    contexts.push(context)
    // The relay unreachable while the browser is online: sockets close as soon as they open.
    const relay = await liveSwitch(context)
    const page = await context.newPage()
    await signInToConsole(page, suite.demo)
    const badge = page.locator('header [role=status].status')
    await until(async () => (await badge.innerText()) === 'Online', 'online', 15_000)
    await relay.cut()
    await until(async () => (await badge.innerText()) === 'Reconnecting…', 'badge says reconnecting', 10_000)
    relay.restore()
    await until(async () => (await badge.innerText()) === 'Online', 'badge says online again', 30_000)
  })

  it('shows messages queued offline as "Sending…" after a reload, before any connection, then delivers each once', async () => {
    const { context, page } = await newVisitor()
    const convId = await chatWithAgent(page, 'about to lose signal')
    // A real offline reload is served from the browser's cache; here the page and the widget load
    // while the relay's socket is refused, which leaves the widget just as unconnected.
    // (The route takes effect in documents loaded after it is set, hence the first reload.)
    let refuseSockets = true
    await context.routeWebSocket(/\/v1\/live/, (ws) => (refuseSockets ? ws.close() : ws.connectToServer()))
    await page.reload()
    await widget(page).getByRole('button', { name: /Open chat/ }).click()
    await context.setOffline(true)
    for (const text of ['queued 1', 'queued 2', 'queued 3']) await type(page, text)
    await until(async () => (await statuses(page)).filter((s) => s === 'Sending…').length === 3, 'three waiting')
    await context.setOffline(false)
    await page.reload()
    await widget(page).getByRole('button', { name: /Open chat/ }).click()
    // 30 s: the reload reads the outbox back from IndexedDB, which took over 10 s once in a CI run
    // with other suites loading both cores, and over 20 s once with an npm ci beside them. What was
    // shown last goes into the failure, to tell a slow read from a wrong one.
    let shown: string[] = []
    await until(async () => {
      shown = await myLines(page)
      return shown.join('|') === 'about to lose signal|queued 1|queued 2|queued 3'
    }, () => `queued messages shown after the reload; shown: ${JSON.stringify(shown)}`, 30_000)
    expect(await statuses(page)).toEqual(['Sent', 'Sending…', 'Sending…', 'Sending…'])
    expect(suite.agent.texts(convId).filter((t) => t.startsWith('queued'))).toEqual([])

    refuseSockets = false
    // The online event makes the widget try at once rather than after its backoff.
    await context.setOffline(true)
    await context.setOffline(false)
    await until(async () => (await statuses(page)).every((s) => s === 'Sent'), 'all sent', 15_000)
    await until(() => suite.agent.texts(convId).filter((t) => t.startsWith('queued')).length >= 3, 'agent has the three', 15_000)
    expect(suite.agent.texts(convId).filter((t) => t.startsWith('queued'))).toEqual(['queued 1', 'queued 2', 'queued 3'])
    expect((await myLines(page)).filter((t) => t.startsWith('queued'))).toEqual(['queued 1', 'queued 2', 'queued 3'])
  }, 90_000)
})
