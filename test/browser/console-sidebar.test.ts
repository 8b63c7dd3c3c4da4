import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { artifactPath, describeWithChromium, launchChromium, liveSwitch } from '../helpers/chromium.js'
import { startDemoRelay, type DemoRelay } from '../helpers/demo-relay.js'
import { liveClient, type LiveClient } from '../helpers/live-client.js'
import { signInToConsole } from '../helpers/console-page.js'
import { until } from '../helpers/until.js'

// The console's sidebar and chat panel as a new user's trial found them: a queue that said "Nobody
// is waiting" while it was unknown, My chats below hundreds of queue cards, and the ended-chat note
// flush against the panel's edge.

describeWithChromium('agent console sidebar in Chromium', () => {
  let demo: DemoRelay
  let browser: Browser
  const contexts: BrowserContext[] = []
  const visitors: LiveClient[] = []

  beforeAll(async () => {
    demo = await startDemoRelay()
    browser = await launchChromium()
  }, 60_000)
  afterAll(async () => {
    await Promise.all(visitors.map((v) => v.conn.stop()))
    await Promise.all(contexts.map((c) => c.close()))
    await browser?.close()
    await demo?.close()
  })

  async function newContext(): Promise<BrowserContext> {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } })
    contexts.push(context)
    return context
  }

  /** A visitor (a socket client, no browser) who has opened a conversation by writing `text`. */
  async function visitorWriting(text: string): Promise<void> {
    const v = liveClient({ url: `${demo.url.replace('http', 'ws')}/v1/live?site=${demo.demo.siteKey}`, auth: { kind: 'visitor' } })
    visitors.push(v)
    await v.open()
    const convId = v.conn.newConversationId()
    await v.conn.send(convId, text)
    await until(() => v.messages.some((m) => m.convId === convId), `"${text}" stored`, 15_000)
  }

  const queueHeading = (p: Page) => p.locator('#queue-h')
  const sidebarText = (p: Page) => p.locator('nav.side').innerText()

  it('shows the queue as loading, not as empty, after a reload while the relay cannot be reached', async () => {
    const context = await newContext()
    const relay = await liveSwitch(context)
    const page = await context.newPage()
    await signInToConsole(page, demo)
    const badge = page.locator('header [role=status].status')
    await until(async () => (await badge.innerText()) === 'Online', 'online', 15_000)
    await until(async () => /^Queue \d+$/.test(await queueHeading(page).innerText()), 'queue listed')

    await relay.cut()
    await page.reload()
    await until(async () => ['Connecting…', 'Reconnecting…'].includes(await badge.innerText()), 'not connected after the reload', 10_000)
    const text = await sidebarText(page)
    expect(text).toContain('Loading the queue…')
    expect(text).toContain('Loading your chats…')
    expect(text).not.toContain('Nobody is waiting')
    expect(await queueHeading(page).innerText()).toBe('Queue')

    relay.restore()
    // The online event makes the console try at once rather than after its backoff.
    await context.setOffline(true)
    await context.setOffline(false)
    await until(async () => /^Queue \d+$/.test(await queueHeading(page).innerText()), 'queue listed once the relay is back', 30_000)
    expect(await sidebarText(page)).not.toContain('Loading')
  })

  it('puts My chats before the queue, so the agent reaches them without scrolling past it', async () => {
    await visitorWriting('Where is parcel 77?')
    await visitorWriting('Do you ship to Norway?')
    const page = await (await newContext()).newPage()
    await signInToConsole(page, demo)
    await page.getByRole('button', { name: 'Accept: Where is parcel 77?' }).click()
    await until(async () => (await page.locator('.chats .chat').count()) === 1, 'accepted chat listed')
    await until(() => page.getByRole('button', { name: 'Accept: Do you ship to Norway?' }).isVisible(), 'other visitor still queued')
    const order = await page.evaluate(() => {
      const mine = document.getElementById('mine-h')!
      const queue = document.getElementById('queue-h')!
      // DOCUMENT_POSITION_FOLLOWING: the queue heading comes after My chats.
      return (mine.compareDocumentPosition(queue) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0
    })
    await page.screenshot({ path: artifactPath('console-sidebar.png') })
    expect(order).toBe(true)
    // Both headings stay navigable landmarks' labels.
    expect(await page.getByRole('region', { name: 'My chats' }).count()).toBe(1)
    expect(await page.getByRole('region', { name: /^Queue/ }).count()).toBe(1)
  })

  it('sets the ended-chat note off the left edge of the chat panel', async () => {
    await visitorWriting('Thanks, that is all.')
    const page = await (await newContext()).newPage()
    await signInToConsole(page, demo)
    await page.getByRole('button', { name: 'Accept: Thanks, that is all.' }).click()
    await until(() => page.getByRole('button', { name: 'Close chat' }).isVisible(), 'chat open')
    await page.getByRole('button', { name: 'Close chat' }).click()
    const note = page.getByRole('status').filter({ hasText: 'This conversation has ended.' })
    await until(() => note.isVisible(), 'ended note shown')
    const gap = await note.evaluate((el) => {
      const text = document.createRange()
      text.selectNodeContents(el)
      return text.getBoundingClientRect().left - el.closest('.chatview')!.getBoundingClientRect().left
    })
    await page.screenshot({ path: artifactPath('console-ended.png') })
    expect(gap).toBeGreaterThanOrEqual(12)
  })
})
