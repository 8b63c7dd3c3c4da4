import { expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import type { ConversationJoined, MessagePage, QueueListed } from '@parley/sdk/contract'
import { describeWithChromium } from '../helpers/chromium.js'
import { demoSuite } from '../helpers/demo-suite.js'
import { until } from '../helpers/until.js'
import { callParley, chatLines, forgetAllButToken, outboxSize } from '../helpers/widget-page.js'

// What the widget does with what happened while the visitor was away or the page hid it: a chat
// the agent closed meanwhile ends on screen, and the next message opens a new one; a widget the
// page hid reads nothing until it is shown again; earlier conversations the relay refuses to list
// are not asked for again on every scroll.

describeWithChromium('a returning visitor, and a widget the page hid, in Chromium', () => {
  const suite = demoSuite({ agent: true })
  const contexts: BrowserContext[] = []


  const widget = (p: Page) => p.locator('parley-chat')

  async function newContext(): Promise<BrowserContext> {
    const ctx = await suite.browser.newContext()
    contexts.push(ctx)
    return ctx
  }

  async function visit(ctx: BrowserContext): Promise<Page> {
    const page = await ctx.newPage()
    await page.goto(`${suite.demo.siteUrl}/`)
    await widget(page).getByRole('button', { name: /^Open chat/ }).click()
    return page
  }

  async function send(p: Page, text: string): Promise<void> {
    const box = widget(p).getByRole('textbox', { name: 'Message' })
    await box.fill(text)
    await box.press('Enter')
  }

  const sent = (p: Page, text: string) =>
    until(async () => (await widget(p).locator('li.me').filter({ hasText: text }).locator('.s').allInnerTexts()).includes('Sent'), `"${text}" sent`, 15_000)

  /** The conversation waiting in the queue whose first message is `text`. */
  const queued = (text: string) => until(async () => {
    const q = await suite.agent.conn.request<QueueListed>({ type: 'queue.list' })
    return q.conversations.find((c) => c.preview === text)?.convId ?? null
  }, `"${text}" queued`, 15_000)

  async function accept(text: string): Promise<string> {
    const convId = await queued(text)
    await suite.agent.conn.request<ConversationJoined>({ type: 'conversation.accept', convId })
    return convId
  }

  async function storedTexts(convId: string): Promise<string[]> {
    const res = await fetch(`${suite.demo.url}/v1/conversations/${convId}/messages?afterSeq=0&limit=100`, { headers: { authorization: `Bearer ${suite.demo.demo.apiKey}` } })
    return ((await res.json()) as MessagePage).messages.map((m) => m.text)
  }

  it('ends a chat the agent closed while the tab was shut, and opens a new one, once, for the next message', async () => {
    const ctx = await newContext()
    const first = await visit(ctx)
    await send(first, 'Is anyone there?')
    await sent(first, 'Is anyone there?')
    const convId = await accept('Is anyone there?')
    await suite.agent.conn.send(convId, 'Yes, how can I help?')
    await until(async () => (await chatLines(first)).includes('Yes, how can I help?'), 'answer shown', 15_000)
    await first.close()
    await suite.agent.conn.request({ type: 'conversation.close', convId })

    const back = await visit(ctx)
    // The page loads, the widget boots and resumes before it can know: 2-3 s alone, and past 15 s
    // once with two test files beside a loaded machine's benchmarks.
    await widget(back).getByText('This chat has ended.').waitFor({ timeout: 30_000 })
    await send(back, 'Back again')
    await sent(back, 'Back again')
    expect(await widget(back).locator('[role=log] li.d').innerText()).toMatch(/^Chat ended · /)
    expect(await chatLines(back)).toEqual(['Is anyone there?', 'Yes, how can I help?', 'Back again'])
    const next = await queued('Back again')
    expect(next).not.toBe(convId)
    expect(await storedTexts(next)).toEqual(['Back again'])
    expect(await storedTexts(convId)).toEqual(['Is anyone there?', 'Yes, how can I help?'])
  }, 60_000)

  it('moves a message written offline into a chat closed meanwhile to a new chat, delivered once', async () => {
    const ctx = await newContext()
    const page = await visit(ctx)
    await send(page, 'Offline question one')
    await sent(page, 'Offline question one')
    const convId = await accept('Offline question one')
    await ctx.setOffline(true)
    await suite.agent.conn.request({ type: 'conversation.close', convId })
    await send(page, 'Written while offline')
    await until(async () => (await widget(page).locator('li.me .s').allInnerTexts()).includes('Sending…'), 'waiting offline')
    await ctx.setOffline(false)
    await sent(page, 'Written while offline')
    const next = await queued('Written while offline')
    expect(next).not.toBe(convId)
    expect(await storedTexts(next)).toEqual(['Written while offline'])
    expect(await storedTexts(convId)).toEqual(['Offline question one'])
    expect((await chatLines(page)).filter((t) => t === 'Written while offline')).toHaveLength(1)
    expect(await widget(page).locator('li.me .s').allInnerTexts()).not.toContain('Failed')
  })

  it("reads nothing while the page hid the open widget with Parley('hide'), and reads the reply on 'show'", async () => {
    const ctx = await newContext()
    const page = await ctx.newPage()
    await page.addInitScript(`window.__unread = []
      window.Parley = function () { (window.Parley.q = window.Parley.q || []).push(arguments) }
      Parley('on', 'unread', (n) => window.__unread.push(n))`)
    await page.goto(`${suite.demo.siteUrl}/`)
    await widget(page).getByRole('button', { name: 'Open chat' }).click()
    await send(page, 'Hide me soon')
    await sent(page, 'Hide me soon')
    const convId = await accept('Hide me soon')
    await callParley(page, 'hide')
    await suite.agent.conn.send(convId, 'Are you still there?')
    await until(() => page.evaluate(() => (window as unknown as { __unread: number[] }).__unread.includes(1)), 'unread while hidden', 15_000)
    const readUpTo = () => Math.max(0, ...suite.agent.frames.filter((f) => f.type === 'message.read' && f.convId === convId).map((f) => (f as { seq: number }).seq))
    const replySeq = await until(() => suite.agent.texts(convId).includes('Are you still there?') ? suite.agent.messages.find((m) => m.text === 'Are you still there?')!.seq : null, 'reply stored')
    expect(readUpTo()).toBeLessThan(replySeq)
    await callParley(page, 'show')
    await until(() => readUpTo() >= replySeq, 'read once shown', 15_000)
  })

  it('asks for earlier conversations once, not on every scroll, while the relay refuses, and offers to try again', async () => {
    const ctx = await newContext()
    const first = await visit(ctx)
    await send(first, 'An old question')
    await sent(first, 'An old question')
    const convId = await accept('An old question')
    await suite.agent.conn.request({ type: 'conversation.close', convId })
    await widget(first).getByText('This chat has ended.').waitFor({ timeout: 15_000 })
    // The browser lost its history (it keeps the visitor's token): earlier conversations come from the relay.
    await until(async () => (await outboxSize(first, suite.demo.demo.siteKey)) === 0, 'the acked message released from the outbox', 15_000)
    await forgetAllButToken(first, suite.demo.siteUrl, suite.demo.demo.siteKey)
    const page = await ctx.newPage()
    // The relay rate-limits the listing; every call is counted as it is made.
    await page.addInitScript(`window.__listings = 0
      window.__refuse = true
      const realFetch = window.fetch
      window.fetch = (input, init) => {
        if (String(input).includes('/v1/conversations?')) {
          window.__listings++
          if (window.__refuse) return Promise.resolve(new Response('{}', { status: 429, headers: { 'retry-after': '60' } }))
        }
        return realFetch(input, init)
      }`)
    await page.goto(`${suite.demo.siteUrl}/`)
    await widget(page).getByRole('button', { name: /^Open chat/ }).click()
    const log = widget(page).locator('[role=log]')
    await widget(page).getByRole('button', { name: 'Show earlier conversations' }).waitFor({ timeout: 15_000 })
    const listings = () => page.evaluate(() => (window as unknown as { __listings: number }).__listings)
    const scrollToTop = (times: number) => log.evaluate((el, n) => {
      for (let i = 0; i < n; i++) { el.scrollTop = 0; el.dispatchEvent(new Event('scroll')) }
    }, times)
    await scrollToTop(1)
    const tryAgain = widget(page).locator('[role=log] li.g').getByRole('button', { name: 'Try again' })
    await tryAgain.waitFor({ timeout: 15_000 })
    expect(await listings()).toBe(1)
    // Each scroll event would start a fetch at once (synchronously): none may while backing off.
    for (let round = 0; round < 5; round++) await scrollToTop(1)
    expect(await listings()).toBe(1)
    await page.evaluate(() => { (window as unknown as { __refuse: boolean }).__refuse = false })
    await tryAgain.click()
    await until(async () => (await chatLines(page)).join('|') === 'An old question', 'earlier conversation loaded after trying again', 15_000)
    expect(await listings()).toBe(2)
  })
})
