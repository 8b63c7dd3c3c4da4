import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Browser, BrowserContext } from 'playwright-core'
import { describeWithChromium, launchChromium } from '../helpers/chromium.js'
import { startDemoRelay, type DemoRelay } from '../helpers/demo-relay.js'
import { seriousViolations } from '../helpers/axe.js'
import { until } from '../helpers/until.js'
import { signInToConsole } from '../helpers/console-page.js'

// axe-core finds no serious or critical WCAG 2.1 A/AA violation in the widget (open, with messages,
// in English and Arabic, on a 360 px phone) or the console (login, and a chat with context).

describeWithChromium('accessibility (axe-core in Chromium)', () => {
  let demo: DemoRelay
  let browser: Browser
  let ctx: BrowserContext

  beforeAll(async () => {
    demo = await startDemoRelay()
    browser = await launchChromium()
    ctx = await browser.newContext({ bypassCSP: true })
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await demo?.close()
  })

  it('finds no serious violation in the open widget with a conversation', async () => {
    const page = await ctx.newPage()
    await page.goto(`${demo.siteUrl}/`)
    const w = page.locator('parley-chat')
    await w.getByRole('button', { name: 'Open chat' }).click()
    await w.getByRole('textbox', { name: 'Message' }).fill('Hi, see https://example.com/help please')
    await w.getByRole('textbox', { name: 'Message' }).press('Enter')
    await until(async () => (await w.locator('li.me .s').allInnerTexts()).includes('Sent'), 'sent')
    expect(await seriousViolations(page)).toEqual([])
    await page.close()
  })

  it('works by keyboard alone: open, type, send, Escape closes and focus returns to the launcher', async () => {
    const page = await ctx.newPage()
    await page.goto(`${demo.siteUrl}/pricing.html`)
    const w = page.locator('parley-chat')
    await w.getByRole('button', { name: /Open chat/ }).focus()
    await page.keyboard.press('Enter')
    await until(async () => w.getByRole('textbox', { name: 'Message' }).evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement), 'focus in the message box')
    await page.keyboard.type('typed by keyboard')
    await page.keyboard.press('Enter')
    await until(async () => (await w.locator('li.me .u').allInnerTexts()).includes('typed by keyboard'), 'sent by keyboard')
    await page.keyboard.press('Escape')
    // Checked in the page, in one step: the panel is gone and the launcher already holds the focus.
    await until(async () => (await w.getByRole('dialog').count()) === 0, 'closed')
    expect(await w.evaluate((host) => {
      const root = host.shadowRoot as ShadowRoot
      return root.querySelector('[role="dialog"]') === null && root.activeElement?.getAttribute('aria-expanded') === 'false'
    })).toBe(true)
    await page.close()
  })

  it('lays out right to left in Arabic and fits a 360 px phone, without serious violations', async () => {
    const phone = await browser.newContext({ bypassCSP: true, locale: 'ar', viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true })
    const page = await phone.newPage()
    await page.goto(`${demo.siteUrl}/`)
    const w = page.locator('parley-chat')
    await w.getByRole('button', { name: 'افتح المحادثة' }).click()
    const panel = w.getByRole('dialog')
    await until(async () => (await panel.count()) === 1, 'panel open')
    expect(await panel.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl')
    const box = await panel.boundingBox()
    expect(box!.width).toBeLessThanOrEqual(360)
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
    expect(await seriousViolations(page)).toEqual([])
    await phone.close()
  })

  it('finds no serious violation in the console, signed out or in a chat', async () => {
    const page = await ctx.newPage()
    await signInToConsole(page, demo, async () => expect(await seriousViolations(page)).toEqual([]))
    await until(async () => (await page.getByRole('button', { name: /^Accept/ }).count()) > 0, 'queue shows a conversation', 15_000)
    await page.getByRole('button', { name: /^Accept/ }).first().click()
    await until(async () => (await page.locator('.context').count()) === 1, 'context shown')
    expect(await seriousViolations(page)).toEqual([])
    await page.close()
  })
})
