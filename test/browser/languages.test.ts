import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { describeWithChromium, launchChromium } from '../helpers/chromium.js'
import { startDemoRelay, type DemoRelay } from '../helpers/demo-relay.js'
import { until } from '../helpers/until.js'

// A brand's texts in a language the widget doesn't ship (French) reach a visitor whose browser
// asks for it, string by string, with English for the strings the brand left out.

describeWithChromium('widget languages', () => {
  let demo: DemoRelay
  let browser: Browser

  beforeAll(async () => {
    demo = await startDemoRelay()
    browser = await launchChromium()
    const res = await fetch(`${demo.url}/v1/widget-config`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${demo.demo.apiKey}`, 'content-type': 'application/merge-patch+json' },
      body: JSON.stringify({ texts: { fr: { launcher: 'Ouvrir le chat', greeting: 'Bonjour ! Une question sur une commande ?' } } }),
    })
    if (res.status !== 200) throw new Error(`config not set: ${res.status} ${await res.text()}`)
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await demo?.close()
  })

  it("shows the brand's French texts to a fr-CA browser, and English for a string the brand left out", async () => {
    const context = await browser.newContext({ locale: 'fr-CA' })
    const page = await context.newPage()
    await page.goto(`${demo.siteUrl}/`)
    const w = page.locator('parley-chat')
    await w.getByRole('button', { name: 'Ouvrir le chat' }).click()
    await until(async () => (await w.getByRole('dialog').count()) === 1, 'panel open')
    expect(await w.getByRole('dialog').innerText()).toContain('Bonjour ! Une question sur une commande ?')
    // No French placeholder was supplied and the widget ships none: English.
    expect(await w.getByRole('textbox', { name: 'Message' }).getAttribute('placeholder')).toBe('Write a message…')
    expect(await w.evaluate((host) => host.shadowRoot!.querySelector('div.p')?.getAttribute('lang'))).toBe('fr')
    await context.close()
  })

  it('shows English to a browser that asks for a language nobody supplied', async () => {
    const context = await browser.newContext({ locale: 'ja-JP' })
    const page = await context.newPage()
    await page.goto(`${demo.siteUrl}/`)
    const w = page.locator('parley-chat')
    await w.getByRole('button', { name: 'Open chat' }).click()
    await until(async () => (await w.getByRole('dialog').count()) === 1, 'panel open')
    expect(await w.evaluate((host) => host.shadowRoot!.querySelector('div.p')?.getAttribute('lang'))).toBe('en')
    await context.close()
  })
})
