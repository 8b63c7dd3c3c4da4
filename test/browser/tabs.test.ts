import { afterAll, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import type { ConversationJoined, QueueListed } from '@parley/sdk/contract'
import { describeWithChromium } from '../helpers/chromium.js'
import { demoSuite } from '../helpers/demo-suite.js'
import { liveClient, type LiveClient } from '../helpers/live-client.js'
import { until } from '../helpers/until.js'
import { forgetSavedHistory, sendInWidget as send } from '../helpers/widget-page.js'

// A visitor's tabs share their conversations: a conversation opened in one tab becomes the one on
// screen in the others at once, two conversations opened in a race are both kept, and a reload
// shows the newest open conversation with the others above it. From a new user's trial, where the
// second tab kept showing an ended chat, started a second conversation, and lost it on reload.

const END = '— Chat ended —'

describeWithChromium("a visitor's tabs, in Chromium", () => {
  const suite = demoSuite({ agent: true })
  const contexts: BrowserContext[] = []
  const visitors: LiveClient[] = []

  afterAll(async () => {
    for (const v of visitors) await v.conn.stop()
  })

  const widget = (p: Page) => p.locator('parley-chat')
  /** What the chat window shows, in order: each message's text, and END for each earlier conversation's divider. */
  const shown = async (p: Page) => (await widget(p).locator('[role=log] li.me .u, [role=log] li.them .u, [role=log] li.d').evaluateAll(
    (els) => els.map((el) => (el.matches('li.d') ? '' : (el as HTMLElement).innerText)),
  )).map((t) => t || END)

  async function newContext(): Promise<BrowserContext> {
    const ctx = await suite.browser.newContext()
    contexts.push(ctx)
    return ctx
  }

  /** A tab of `ctx` on `path` with the chat window open and its connection welcomed by the relay. */
  async function openTab(ctx: BrowserContext, path: string): Promise<Page> {
    const page = await ctx.newPage()
    const welcomed = new Promise<void>((resolve) => {
      page.on('websocket', (ws) => ws.on('framereceived', (f) => { if (String(f.payload).includes('"type":"welcome"')) resolve() }))
    })
    await page.goto(`${suite.demo.siteUrl}${path}`)
    await widget(page).getByRole('button', { name: /^Open chat/ }).click()
    await welcomed
    return page
  }

  const queued = async () => (await suite.agent.conn.request<QueueListed>({ type: 'queue.list' })).conversations.map((c) => c.preview)

  /** The agent accepts the conversation whose first message is `text`. */
  async function accept(text: string): Promise<string> {
    const convId = await until(async () => (await suite.agent.conn.request<QueueListed>({ type: 'queue.list' })).conversations.find((c) => c.preview === text)?.convId ?? null, `"${text}" queued`, 15_000)
    await suite.agent.conn.request<ConversationJoined>({ type: 'conversation.accept', convId })
    return convId
  }

  async function expectShown(pages: Page[], expected: string[], what: string): Promise<void> {
    for (const p of pages) await until(async () => (await shown(p)).join('|') === expected.join('|'), what, 15_000)
    for (const p of pages) expect(await shown(p)).toEqual(expected)
  }

  /** A Node client that is the same visitor as the browser context (another tab or device of theirs). */
  async function sameVisitor(page: Page): Promise<LiveClient> {
    const token = await page.evaluate((db) => new Promise<string>((resolve, reject) => {
      const open = indexedDB.open(db)
      open.onsuccess = () => {
        const get = open.result.transaction('kv').objectStore('kv').get('parley:token')
        get.onsuccess = () => resolve(get.result as string)
        get.onerror = () => reject(get.error)
      }
    }), `parley-${suite.demo.demo.siteKey}`)
    const v = liveClient({ url: `${suite.demo.url.replace('http', 'ws')}/v1/live?site=${suite.demo.demo.siteKey}`, auth: { kind: 'visitor', token } })
    visitors.push(v)
    await v.open()
    return v
  }

  it("shows the first message written in one tab in the other tab, which then writes into the same conversation", async () => {
    const ctx = await newContext()
    const tab1 = await openTab(ctx, '/')
    const tab2 = await openTab(ctx, '/pricing.html')
    await send(tab1, 'first contact from tab1')
    await expectShown([tab2], ['first contact from tab1'], 'tab 2 shows the first message')
    await send(tab2, 'and tab2 adds this')
    await expectShown([tab1, tab2], ['first contact from tab1', 'and tab2 adds this'], 'both tabs show both')
    const queue = await queued()
    expect(queue).toContain('first contact from tab1')
    expect(queue).not.toContain('and tab2 adds this')
  })

  it("switches every tab to a conversation another tab opened after a close, keeps one conversation, and shows the same after reloads", async () => {
    const ctx = await newContext()
    const tab1 = await openTab(ctx, '/')
    const tab2 = await openTab(ctx, '/pricing.html')
    await send(tab1, 'first')
    const first = await accept('first')
    await suite.agent.conn.request({ type: 'conversation.close', convId: first })
    for (const p of [tab1, tab2]) await widget(p).getByText('This chat has ended.').waitFor()

    await send(tab1, 'again from tab1')
    // Tab 2 moves to the new conversation at once: the ended one goes above it, with its divider.
    await expectShown([tab2], ['first', END, 'again from tab1'], 'tab 2 follows the new conversation')
    expect(await widget(tab2).getByText('This chat has ended.').count()).toBe(0)
    await send(tab2, 'from tab2')
    const queue = await queued()
    expect(queue).toContain('again from tab1')
    expect(queue).not.toContain('from tab2')

    const again = await accept('again from tab1')
    await suite.agent.conn.send(again, 'answer to both')
    const expected = ['first', END, 'again from tab1', 'from tab2', 'answer to both']
    await expectShown([tab1, tab2], expected, 'both tabs show the answer')

    for (const p of [tab1, tab2]) {
      await p.reload()
      await widget(p).getByRole('button', { name: /^Open chat/ }).click()
    }
    const tab3 = await openTab(ctx, '/')
    await expectShown([tab1, tab2, tab3], expected, 'every tab shows the same after reloads')
  })

  it('writes from two tabs into one conversation even before the relay heard of it (the tabs tell each other)', async () => {
    const ctx = await newContext()
    const tab1 = await openTab(ctx, '/')
    const tab2 = await openTab(ctx, '/pricing.html')
    // Offline, no tab can hear of the other's conversation from the relay.
    await ctx.setOffline(true)
    for (const [tab, text] of [[tab1, 'offline tab1'], [tab2, 'offline tab2']] as const) {
      const box = widget(tab).getByRole('textbox', { name: 'Message' })
      await box.fill(text)
      await box.press('Enter')
      await widget(tab).locator('li.me').filter({ hasText: text }).waitFor()
    }
    await ctx.setOffline(false)
    const both = (lines: string[]) => lines.length === 2 && [...lines].sort().join('|') === 'offline tab1|offline tab2'
    for (const p of [tab1, tab2]) await until(async () => both(await shown(p)), 'both tabs show both, in one conversation', 30_000)
    const queue = await queued()
    expect(queue.filter((q) => q === 'offline tab1' || q === 'offline tab2')).toHaveLength(1)
  })

  it('keeps both conversations when two are opened in a race, shows a reply in either in every tab, and picks the newest open one after a reload', async () => {
    const ctx = await newContext()
    const tab1 = await openTab(ctx, '/')
    const tab2 = await openTab(ctx, '/pricing.html')
    await send(tab1, 'race A')
    await expectShown([tab2], ['race A'], 'tab 2 shows conversation A')
    // Another tab of the same visitor that had not heard of A opens a second conversation.
    const other = await sameVisitor(tab1)
    await other.conn.send(other.conn.newConversationId(), 'race B')
    await expectShown([tab1, tab2], ['race A', END, 'race B'], 'both tabs show B as current, A above it')
    // A is still open: its divider gives the date, not "Chat ended".
    for (const p of [tab1, tab2]) expect(await widget(p).locator('[role=log] li.d').innerText()).not.toContain('Chat ended')

    const a = await accept('race A')
    const b = await accept('race B')
    await suite.agent.conn.send(a, 'reply in A')
    await suite.agent.conn.send(b, 'reply in B')
    const expected = ['race A', 'reply in A', END, 'race B', 'reply in B']
    await expectShown([tab1, tab2], expected, 'the replies in both conversations reach both tabs')
    await send(tab2, 'tab2 writes on')
    expected.push('tab2 writes on')
    await expectShown([tab1, tab2], expected, 'tab 2 writes into the current conversation')

    for (const p of [tab1, tab2]) {
      await p.reload()
      await widget(p).getByRole('button', { name: /^Open chat/ }).click()
    }
    await expectShown([tab1, tab2], expected, 'the same after reloads')
  })

  it('rebuilds the open conversations from the relay when the browser lost its copy, the newest as current', async () => {
    const ctx = await newContext()
    const tab1 = await openTab(ctx, '/')
    await send(tab1, 'lost A')
    const other = await sameVisitor(tab1)
    await other.conn.send(other.conn.newConversationId(), 'lost B')
    await expectShown([tab1], ['lost A', END, 'lost B'], 'B current, A above it')
    // The saved history is gone (the cursors and the token stay), from a page without the widget.
    await forgetSavedHistory(tab1, suite.demo.siteUrl, suite.demo.demo.siteKey)
    await tab1.goto(`${suite.demo.siteUrl}/`)
    await widget(tab1).getByRole('button', { name: /^Open chat/ }).click()
    await expectShown([tab1], ['lost A', END, 'lost B'], 'both conversations rebuilt')
    await send(tab1, 'after the rebuild')
    expect(await queued()).not.toContain('after the rebuild')
  })
})
