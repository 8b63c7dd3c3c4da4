import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { describeWithChromium, launchChromium } from '../helpers/chromium.js'
import { startDemoRelay, type DemoRelay } from '../helpers/demo-relay.js'
import { liveClient, type LiveClient } from '../helpers/live-client.js'
import { signInToConsole } from '../helpers/console-page.js'
import { sendInWidget } from '../helpers/widget-page.js'
import { seriousViolations } from '../helpers/axe.js'
import { until } from '../helpers/until.js'

// The console's transfer dialog in Chromium against `parley start --demo`: driven by keyboard
// only and checked by axe while open.

describeWithChromium('the transfer dialog in Chromium', () => {
  let demo: DemoRelay
  let browser: Browser
  let consoleContext: BrowserContext
  let con: Page
  const visitors: BrowserContext[] = []
  const clients: LiveClient[] = []

  const api = async (method: string, path: string, token: string, body?: unknown) => {
    const res = await fetch(`${demo.url}${path}`, {
      method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    })
    return { status: res.status, body: await res.json() as any }
  }

  beforeAll(async () => {
    demo = await startDemoRelay()
    browser = await launchChromium()
    // axe is injected as an inline script.
    consoleContext = await browser.newContext({ viewport: { width: 1400, height: 900 }, bypassCSP: true })
    con = await consoleContext.newPage()
    const email = 'kim@transfer.parley.test'
    expect((await api('POST', '/v1/agents', demo.demo.apiKey, { email, name: 'Kim', password: 'correct horse battery' })).status).toBe(201)
    const login = await fetch(`${demo.url}/v1/agent/sessions`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ brandId: demo.demo.brandId, email, password: 'correct horse battery' }),
    })
    const { token } = await login.json() as { token: string }
    const kim = liveClient({ url: `${demo.url.replace('http', 'ws')}/v1/live`, auth: { kind: 'agent', token } })
    clients.push(kim)
    await kim.open()
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

  /** A visitor writes `text`; the console accepts the chat from the queue. */
  async function acceptedChat(text: string): Promise<void> {
    const context = await browser.newContext()
    visitors.push(context)
    const page = await context.newPage()
    await page.goto(`${demo.siteUrl}/`)
    await page.locator('parley-chat').getByRole('button', { name: 'Open chat' }).click()
    await sendInWidget(page, text)
    await con.getByRole('button', { name: `Accept: ${text}` }).click()
    await until(async () => (await con.locator('.chatview [role=log] .bubble').allInnerTexts()).includes(text), 'chat on screen')
  }

  const focused = () => con.evaluate(() => {
    const el = document.activeElement as HTMLElement | null
    return el ? `${el.tagName.toLowerCase()}:${el.getAttribute('aria-label') ?? el.closest('label')?.textContent?.trim().split('\n')[0] ?? el.textContent?.trim() ?? ''}` : 'none'
  })

  it('opens on its first control, keeps Tab inside, passes axe, and gives focus back on Escape and twice over', async () => {
    await acceptedChat('Keyboard please')
    const opener = con.getByRole('button', { name: 'Transfer…' })
    for (const round of [1, 2]) {
      await opener.focus()
      await con.keyboard.press('Enter')
      const dialog = con.getByRole('dialog', { name: 'Transfer this chat' })
      await dialog.waitFor()
      // Focus is in the dialog, on its first control, each time it opens (autofocus works once a page).
      expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true)
      expect(await focused()).toMatch(/^input:/)
      if (round === 1) expect(await seriousViolations(con)).toEqual([])
      // Tab never leaves it, forwards or backwards.
      for (let i = 0; i < 12; i++) {
        await con.keyboard.press('Tab')
        expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true)
      }
      for (let i = 0; i < 12; i++) {
        await con.keyboard.press('Shift+Tab')
        expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true)
      }
      await con.keyboard.press('Escape')
      await until(async () => (await dialog.count()) === 0, 'closed')
      expect(await focused()).toBe('button:Transfer…')
    }
  })
})
