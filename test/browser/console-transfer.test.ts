import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { describeWithChromium, launchChromium, liveSwitch, type LiveSwitch } from '../helpers/chromium.js'
import { startDemoRelay, type DemoRelay } from '../helpers/demo-relay.js'
import type { LiveClient } from '../helpers/live-client.js'
import { connectDemoAgent } from '../helpers/demo-agent.js'
import { signInToConsole } from '../helpers/console-page.js'
import { visitorWriting } from '../helpers/widget-page.js'
import { seriousViolations } from '../helpers/axe.js'
import { until } from '../helpers/until.js'
import { fetchRest } from '../helpers/rest.js'

// The console's transfer dialog in Chromium against `parley start --demo`: driven by keyboard
// only, checked by axe while open, and a note that is masked before it leaves the browser and kept
// in the dialog when the transfer fails.

const CARD = '4111 1111 1111 1111'
const CARD_DIGITS = /4111\D{0,3}1111\D{0,3}1111\D{0,3}1111/

describeWithChromium('the transfer dialog in Chromium', () => {
  let demo: DemoRelay
  let browser: Browser
  let consoleContext: BrowserContext
  let con: Page
  let link: LiveSwitch
  const sent: string[] = []
  const visitors: BrowserContext[] = []
  const clients: LiveClient[] = []

  const api = (method: string, path: string, token: string, body?: unknown) => fetchRest(demo.url, method, path, token, body)

  beforeAll(async () => {
    demo = await startDemoRelay()
    browser = await launchChromium()
    // axe is injected as an inline script.
    consoleContext = await browser.newContext({ viewport: { width: 1400, height: 900 }, bypassCSP: true })
    link = await liveSwitch(consoleContext)
    con = await consoleContext.newPage()
    con.on('websocket', (ws) => ws.on('framesent', (f) => sent.push(String(f.payload))))
    const email = 'kim@transfer.parley.test'
    expect((await api('POST', '/v1/agents', demo.demo.apiKey, { email, name: 'Kim', password: 'correct horse battery' })).status).toBe(201)
    await connectDemoAgent(demo, { email, password: 'correct horse battery' }, clients)
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
    await visitorWriting(browser, demo.siteUrl, text, visitors)
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

  it('hands a chat to a colleague by keyboard alone, masking the note before it is sent; a failed transfer keeps the note', async () => {
    await acceptedChat('Hand me on')
    await con.getByRole('button', { name: 'Transfer…' }).focus()
    await con.keyboard.press('Enter')
    const dialog = con.getByRole('dialog', { name: 'Transfer this chat' })
    await dialog.waitFor()
    // Radio "A colleague" → (the skill radio is disabled) → the colleague list.
    await con.keyboard.press('Tab')
    expect(await focused()).toMatch(/^select:Colleague/)
    await con.keyboard.press('ArrowDown')
    await con.keyboard.press('Tab')
    expect(await focused()).toMatch(/^textarea:/)
    await con.keyboard.type(`Card ${CARD} refunded`)

    // The link is down: the transfer fails, the dialog stays with the typed note.
    await link.cut()
    await con.keyboard.press('Tab')
    expect(await focused()).toBe('button:Transfer')
    await con.keyboard.press('Enter')
    await con.locator('.error.banner').waitFor()
    expect(await dialog.count()).toBe(1)
    expect(await dialog.getByRole('textbox').inputValue()).toBe(`Card ${CARD} refunded`)

    link.restore()
    await until(async () => (await con.locator('header .status').innerText()) === 'Online', 'reconnected', 20_000)
    const before = sent.length
    await dialog.getByRole('button', { name: 'Transfer', exact: true }).press('Enter')
    await until(async () => (await dialog.count()) === 0, 'transferred and closed once the link is back')
    const transfer = sent.slice(before).find((p) => p.includes('"conversation.transfer"'))!
    expect(transfer).toContain('refunded')
    expect(sent.join('\n')).not.toMatch(CARD_DIGITS)
  }, 60_000)
})
