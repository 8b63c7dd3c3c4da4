import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { artifactPath, describeWithChromium, launchChromium } from '../helpers/chromium.js'
import { startDemoRelay, type DemoRelay } from '../helpers/demo-relay.js'
import { chatLines } from '../helpers/widget-page.js'
import { until } from '../helpers/until.js'
import { signInToConsole } from '../helpers/console-page.js'

// The product as a new user meets it: `parley start --demo` (relay, console, demo brand site on the
// next port) driven in real Chromium. A visitor chats in the widget on the brand's page, an agent
// answers in the console, and nothing is lost or doubled across reloads, offline spells, two tabs
// and a relay killed with SIGKILL.

describeWithChromium('widget and console in Chromium', () => {
  let demo: DemoRelay
  let browser: Browser
  let visitorCtx: BrowserContext
  let agentCtx: BrowserContext
  let page: Page
  let agentPage: Page

  beforeAll(async () => {
    demo = await startDemoRelay()
    browser = await launchChromium()
    visitorCtx = await browser.newContext({ viewport: { width: 1200, height: 800 } })
    agentCtx = await browser.newContext({ viewport: { width: 1400, height: 900 } })
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await demo?.close()
  })

  const widget = (p: Page) => p.locator('parley-chat')
  const agentLines = () => agentPage.locator('.chatview [role=log] .bubble').allInnerTexts()

  async function sendFromWidget(p: Page, text: string): Promise<void> {
    const box = widget(p).getByRole('textbox', { name: 'Message' })
    await box.fill(text)
    await box.press('Enter')
  }

  it('lets a visitor start a chat that an agent accepts and answers in the console', async () => {
    page = await visitorCtx.newPage()
    await page.goto(`${demo.siteUrl}/`)
    await widget(page).getByRole('button', { name: 'Open chat' }).click()
    await sendFromWidget(page, 'Hello, is my order on its way?')
    await until(async () => (await widget(page).locator('li.me .s').allInnerTexts()).includes('Sent'), 'first message sent', 15_000)

    agentPage = await agentCtx.newPage()
    await signInToConsole(agentPage, demo)
    await agentPage.getByRole('button', { name: /^Accept/ }).click()
    await until(async () => (await agentLines()).includes('Hello, is my order on its way?'), 'agent sees the message', 15_000)
    expect(await agentPage.locator('.context').innerText()).toMatch(/Chrome \d+/)

    await agentPage.getByRole('textbox', { name: 'Reply' }).fill('It ships today!')
    await agentPage.getByRole('textbox', { name: 'Reply' }).press('Enter')
    await until(async () => (await chatLines(page)).includes('It ships today!'), 'visitor sees the reply', 15_000)
    await page.screenshot({ path: artifactPath('widget.png') })
    await agentPage.screenshot({ path: artifactPath('console.png') })
  })

  it("sends no typing frame for a new visitor's chat until the relay has stored its first message", async () => {
    const ctx = await browser.newContext()
    try {
      const p = await ctx.newPage()
      const sent: string[] = []
      const received: string[] = []
      await p.routeWebSocket(/\/v1\/live/, (ws) => {
        const server = ws.connectToServer()
        ws.onMessage((m) => { sent.push(String(m)); server.send(m) })
        server.onMessage((m) => { received.push(String(m)); ws.send(m) })
      })
      await p.goto(`${demo.siteUrl}/`)
      await widget(p).getByRole('button', { name: 'Open chat' }).click()
      await sendFromWidget(p, 'First words from a new visitor')
      await until(async () => (await widget(p).locator('li.me .s').allInnerTexts()).includes('Sent'), 'first message sent', 15_000)
      // The relay refused a typing.stop sent with the first message: PARLEY_ERR_CONV_NOT_FOUND.
      expect(sent.filter((f) => f.includes('"typing.')), 'typing frames before the first ack').toEqual([])
      // Once the conversation exists, typing reaches the relay again, and nothing was refused.
      await widget(p).getByRole('textbox', { name: 'Message' }).pressSequentially('and more')
      await until(() => sent.some((f) => f.includes('"typing.start"')), 'typing.start once the chat exists')
      await sendFromWidget(p, 'and more')
      await until(() => sent.some((f) => f.includes('"typing.stop"')), 'typing.stop on the second send')
      await until(async () => (await widget(p).locator('li.me .s').allInnerTexts()).filter((t) => t === 'Sent').length === 2, 'second message sent', 15_000)
      expect(received.filter((f) => f.includes('"type":"error"'))).toEqual([])
    } finally {
      await ctx.close()
    }
  })

  it('keeps the history across a reload', async () => {
    await page.reload()
    await widget(page).getByRole('button', { name: /Open chat/ }).click()
    try {
      await until(async () => (await chatLines(page)).join('|') === 'Hello, is my order on its way?|It ships today!', 'history restored', 15_000)
    } finally {
      await page.screenshot({ path: artifactPath('after-reload.png') })
    }
  })

  it('delivers five messages written offline exactly once, in order, when the network returns', async () => {
    await until(async () => (await widget(page).locator('li.me .s').allInnerTexts()).every((s) => s === 'Sent'), 'settled')
    await visitorCtx.setOffline(true)
    for (let i = 1; i <= 5; i++) await sendFromWidget(page, `offline ${i}`)
    // All five wait in the outbox (IndexedDB) while the network is gone.
    await until(async () => (await widget(page).locator('li.me .s').allInnerTexts()).filter((t) => t === 'Sending…').length === 5, 'five waiting')
    expect((await agentLines()).some((t) => t.startsWith('offline'))).toBe(false)
    await visitorCtx.setOffline(false)
    await until(async () => (await agentLines()).filter((t) => t.startsWith('offline')).length >= 5, 'agent has all five', 30_000)
    expect((await agentLines()).filter((t) => t.startsWith('offline'))).toEqual(['offline 1', 'offline 2', 'offline 3', 'offline 4', 'offline 5'])
    await until(async () => (await widget(page).locator('li.me .s').allInnerTexts()).every((t) => t === 'Sent'), 'all sent')
  })

  it('doubles nothing with two tabs open', async () => {
    const second = await visitorCtx.newPage()
    await second.goto(`${demo.siteUrl}/pricing.html`)
    await widget(second).getByRole('button', { name: /Open chat/ }).click()
    await until(async () => (await chatLines(second)).includes('offline 5'), 'second tab shows the history', 15_000)
    await sendFromWidget(page, 'from tab one')
    await sendFromWidget(second, 'from tab two')
    const expected = (lines: string[]) => lines.filter((t) => t.startsWith('from tab'))
    await until(async () => expected(await agentLines()).length === 2, 'agent has both', 15_000)
    await until(async () => expected(await chatLines(page)).length === 2 && expected(await chatLines(second)).length === 2, 'both tabs have both', 15_000)
    for (const lines of [await agentLines(), await chatLines(page), await chatLines(second)]) {
      expect(expected(lines).sort()).toEqual(['from tab one', 'from tab two'])
      expect(new Set(lines).size).toBe(lines.length)
    }
    await second.close()
  })

  it('carries on with nothing lost when the relay is killed with SIGKILL and restarted', async () => {
    // Written while the relay is dead: they wait in the outbox and go once it is back.
    await demo.restart(async () => {
      for (let i = 1; i <= 2; i++) await sendFromWidget(page, `while down ${i}`)
      await until(async () => (await widget(page).locator('li.me .s').allInnerTexts()).filter((t) => t === 'Sending…').length === 2, 'two waiting while down')
    })
    await until(async () => (await agentLines()).filter((t) => t.startsWith('while down')).length >= 2, 'agent has what was written while down', 30_000)
    expect((await agentLines()).filter((t) => t.startsWith('while down'))).toEqual(['while down 1', 'while down 2'])
    for (let i = 1; i <= 3; i++) await sendFromWidget(page, `after restart ${i}`)
    await until(async () => (await agentLines()).filter((t) => t.startsWith('after restart')).length === 3, 'agent has the three', 30_000)
    expect((await agentLines()).filter((t) => t.startsWith('after restart'))).toEqual(['after restart 1', 'after restart 2', 'after restart 3'])
    await agentPage.getByRole('textbox', { name: 'Reply' }).fill('Still here after the restart')
    await agentPage.getByRole('textbox', { name: 'Reply' }).press('Enter')
    await until(async () => (await chatLines(page)).includes('Still here after the restart'), 'visitor has the reply', 30_000)
    const lines = await chatLines(page)
    expect(new Set(lines).size).toBe(lines.length)
  })
})
