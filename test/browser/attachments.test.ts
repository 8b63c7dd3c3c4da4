import { expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { artifactPath, describeWithChromium } from '../helpers/chromium.js'
import { demoSuite } from '../helpers/demo-suite.js'
import { signInToConsole } from '../helpers/console-page.js'
import { pngOf } from '../helpers/attachment-files.js'
import { until } from '../helpers/until.js'

// An image sent both ways with the network gone in between: the visitor attaches one offline,
// reloads while uploads cannot reach the relay, and once they can the agent sees its thumbnail (made
// in the visitor's browser) exactly once; the agent sends one back and the visitor sees it. Both
// sides fetch files with their token from another origin (the brand's site is not the relay's).

describeWithChromium('attachments in the widget and the console in Chromium', () => {
  const suite = demoSuite()

  const widget = (p: Page) => p.locator('parley-chat')
  /** Images shown (decoded, not a broken blob) in a list of lines. */
  const shownImages = (lines: ReturnType<Page['locator']>) => lines.locator('.at-i img').evaluateAll((imgs) => imgs.filter((i) => (i as HTMLImageElement).naturalWidth > 0).length)

  it('carries an image from a visitor who was offline to the agent once, and one back', async () => {
    const visitorCtx: BrowserContext = await suite.browser.newContext({ viewport: { width: 1200, height: 800 } })
    const agentCtx = await suite.browser.newContext({ viewport: { width: 1400, height: 900 } })
    try {
      const page = await visitorCtx.newPage()
      await page.goto(`${suite.demo.siteUrl}/`)
      await widget(page).getByRole('button', { name: 'Open chat' }).click()
      const box = widget(page).getByRole('textbox', { name: 'Message' })
      await box.fill('I will send a photo of the label')
      await box.press('Enter')
      await until(async () => (await widget(page).locator('li.me .s').allInnerTexts()).includes('Sent'), 'first message sent', 15_000)

      const con = await agentCtx.newPage()
      await signInToConsole(con, suite.demo)
      await con.getByRole('button', { name: 'Accept: I will send a photo of the label' }).click()
      const agentLog = con.locator('.chatview [role=log]')
      await until(async () => (await agentLog.locator('.bubble').allInnerTexts()).includes('I will send a photo of the label'), 'agent has the chat', 15_000)

      // Offline: the file waits in the outbox, shown as sending.
      await visitorCtx.setOffline(true)
      await widget(page).locator('input[type=file]').setInputFiles({ name: 'label.png', mimeType: 'image/png', buffer: pngOf(640, 480) })
      await until(async () => (await widget(page).locator('li.me .at').allInnerTexts()).some((t) => t.includes('label.png')), 'file shown as waiting')
      expect(await widget(page).locator('li.me .s').last().innerText()).toBe('Sending…')

      // Back online but uploads still cannot reach the relay, and the page reloads: the file is kept.
      let blocked = 0
      await visitorCtx.route('**/v1/attachments**', (route) => { blocked++; return route.abort('internetdisconnected') })
      await visitorCtx.setOffline(false)
      await page.reload()
      await widget(page).getByRole('button', { name: /Open chat/ }).click()
      await until(() => blocked > 0, 'an upload tried after the reload', 15_000)
      expect(await agentLog.locator('ol.lines > li').count()).toBe(1)
      await visitorCtx.unroute('**/v1/attachments**')

      await until(async () => (await shownImages(agentLog.locator('li.them'))) === 1, 'agent sees the thumbnail', 30_000)
      await until(async () => (await widget(page).locator('li.me .s').allInnerTexts()).every((t) => t === 'Sent' || t === 'Seen'), 'visitor sees it sent', 15_000)
      await until(async () => (await shownImages(widget(page).locator('li.me'))) === 1, 'visitor sees its own image', 15_000)
      expect(await agentLog.locator('ol.lines > li.them').count()).toBe(2)
      // The thumbnail is the browser's, at most 320 px a side, not the 640 px file.
      expect(await agentLog.locator('.at-i img').evaluate((i) => (i as HTMLImageElement).naturalWidth)).toBe(320)

      // The agent answers with an image; the visitor sees it.
      await con.locator('.chatview input[type=file]').setInputFiles({ name: 'return-label.png', mimeType: 'image/png', buffer: pngOf(200, 100) })
      await until(async () => (await shownImages(widget(page).locator('li.them'))) === 1, 'visitor sees the agent\'s image', 30_000)
      // The agent's own copy loads from the relay on its own time: the visitor's showing first says nothing of it.
      await until(async () => (await shownImages(agentLog.locator('li.me'))) === 1, 'agent sees its own image', 15_000)
      await page.screenshot({ path: artifactPath('attachments-widget.png') })
      await con.screenshot({ path: artifactPath('attachments-console.png') })

      // Nothing doubled after another reload on either side.
      await page.reload()
      await widget(page).getByRole('button', { name: /Open chat/ }).click()
      await until(async () => (await shownImages(widget(page).locator('li'))) === 2, 'both images after reload', 15_000)
      expect(await widget(page).locator('[role=log]').evaluate((log) => log.querySelectorAll(':scope > ol > li.me, :scope > ol > li.them').length)).toBe(3)
      expect(await agentLog.locator('ol.lines > li').count()).toBe(3)
    } finally {
      await visitorCtx.close()
      await agentCtx.close()
    }
  }, 120_000)
})
