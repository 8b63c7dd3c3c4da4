import { expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import type { ConversationJoined, QueueListed } from '@parley/sdk/contract'
import { artifactPath, describeWithChromium } from '../helpers/chromium.js'
import { demoSuite } from '../helpers/demo-suite.js'
import { until } from '../helpers/until.js'
import { signInToConsole } from '../helpers/console-page.js'
import { chatLines, forgetSavedHistory, sendInWidget as send } from '../helpers/widget-page.js'

// What the widget and the console show around the messages: earlier conversations above the new
// one, times, "Seen", the text limit as it nears, counted strings, the page's hide/show, and text
// direction isolated per message. The relay runs with a 500-character limit, so a client that
// copied the default (4,000) instead of reading welcome.limits fails here.

const LIMIT = 500

describeWithChromium('what the widget and the console display, in Chromium', () => {
  const suite = demoSuite({ args: ['--max-text-length', String(LIMIT)], agent: true })
  const contexts: BrowserContext[] = []


  const widget = (p: Page) => p.locator('parley-chat')

  async function visitorPage(context?: BrowserContext, init?: string): Promise<Page> {
    const ctx = context ?? await suite.browser.newContext()
    if (!context) contexts.push(ctx)
    const page = await ctx.newPage()
    if (init) await page.addInitScript(init)
    await page.goto(`${suite.demo.siteUrl}/`)
    return page
  }

  /** The agent (a Node client) accepts the conversation whose first message is `text`. */
  async function accept(text: string): Promise<string> {
    const convId = await until(async () => {
      const q = await suite.agent.conn.request<QueueListed>({ type: 'queue.list' })
      return q.conversations.find((c) => c.preview === text)?.convId ?? null
    }, `"${text}" queued`, 15_000)
    await suite.agent.conn.request<ConversationJoined>({ type: 'conversation.accept', convId })
    return convId
  }

  /** Accepts in the console the conversation whose first message is `text`, and waits until it is the chat on screen. */
  async function acceptInConsole(con: Page, text: string): Promise<void> {
    await con.getByRole('button', { name: `Accept: ${text}` }).click()
    await con.locator('.chatview [role=log] .bubble').filter({ hasText: text }).waitFor()
  }

  /** A visitor who chatted, got an answer, and whose chat the agent closed. */
  async function endedChat(page: Page, question: string, answer: string): Promise<string> {
    await widget(page).getByRole('button', { name: /^Open chat/ }).click()
    await send(page, question)
    const convId = await accept(question)
    await suite.agent.conn.send(convId, answer)
    await until(async () => (await chatLines(page)).includes(answer), 'answer shown', 15_000)
    await suite.agent.conn.request({ type: 'conversation.close', convId })
    await widget(page).getByText('This chat has ended.').waitFor()
    return convId
  }

  it("keeps the earlier conversation, with the agent's answer, above the new one when the visitor writes again", async () => {
    const page = await visitorPage()
    await endedChat(page, 'Where is order 1001?', 'Order 1001 ships today.')
    await send(page, 'And order 1002?')
    expect(await chatLines(page)).toEqual(['Where is order 1001?', 'Order 1001 ships today.', 'And order 1002?'])
    const divider = widget(page).locator('[role=log] li.d')
    expect(await divider.innerText()).toBe(`Chat ended · ${await page.evaluate(() => new Intl.DateTimeFormat(navigator.language, { dateStyle: 'medium' }).format(new Date()))}`)
    // It is kept in the browser: a reload shows both.
    await page.reload()
    await widget(page).getByRole('button', { name: /^Open chat/ }).click()
    await until(async () => (await chatLines(page)).join('|') === 'Where is order 1001?|Order 1001 ships today.|And order 1002?', 'history after reload', 15_000)
    await page.screenshot({ path: artifactPath('widget-earlier-conversation.png') })
  })

  it('loads earlier conversations the browser no longer holds from the relay on scroll, only the visitor\'s own', async () => {
    const other = await visitorPage()
    await endedChat(other, 'Another visitor asks', 'Another visitor answered')
    const ctx = await suite.browser.newContext()
    contexts.push(ctx)
    const page = await visitorPage(ctx)
    await endedChat(page, 'My first chat', 'First answer')
    // The browser keeps a bounded history; here it lost all of it (but keeps the visitor's token).
    await forgetSavedHistory(page, suite.demo.siteUrl, suite.demo.demo.siteKey)
    await page.goto(`${suite.demo.siteUrl}/`)
    await widget(page).getByRole('button', { name: /^Open chat/ }).click()
    await widget(page).getByRole('button', { name: 'Show earlier conversations' }).waitFor()
    expect(await chatLines(page)).toEqual([])
    await widget(page).locator('[role=log]').evaluate((el) => { el.scrollTop = 0; el.dispatchEvent(new Event('scroll')) })
    await until(async () => (await chatLines(page)).join('|') === 'My first chat|First answer', 'earlier conversation loaded', 15_000)
    expect(await widget(page).locator('[role=log] li.d').count()).toBe(1)
    await until(async () => (await widget(page).getByRole('button', { name: 'Show earlier conversations' }).count()) === 0, 'no more to load')
    expect(await chatLines(page)).not.toContain('Another visitor asks')
  })

  it("shows each message's time, in the widget and in the console's live chat", async () => {
    const page = await visitorPage()
    await widget(page).getByRole('button', { name: 'Open chat' }).click()
    await send(page, 'What time is it?')
    const time = widget(page).locator('li.me').filter({ hasText: 'What time is it?' }).locator('time')
    expect(await time.innerText()).toBe('now')
    expect(Math.abs(Date.parse((await time.getAttribute('datetime'))!) - Date.now())).toBeLessThan(5 * 60_000)
    const con = await (await suite.browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage()
    contexts.push(con.context())
    await signInToConsole(con, suite.demo)
    await acceptInConsole(con, 'What time is it?')
    const line = con.locator('.chatview [role=log] li').filter({ hasText: 'What time is it?' })
    await line.waitFor()
    expect(await line.locator('.author time').innerText()).toBe('now')
  })

  it("shows Seen under the visitor's last message the agent read, and under the agent's last line the visitor read", async () => {
    const page = await visitorPage()
    await widget(page).getByRole('button', { name: 'Open chat' }).click()
    await send(page, 'Read me please')
    await send(page, 'And this one')
    const con = await (await suite.browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage()
    contexts.push(con.context())
    await signInToConsole(con, suite.demo)
    await acceptInConsole(con, 'Read me please')
    // The console has the chat on screen: it marks it read, and the visitor sees that.
    const seenUnder = () => widget(page).locator('li.me').filter({ has: page.locator('.sn') }).locator('.u').allInnerTexts()
    await until(async () => (await seenUnder()).join('|') === 'And this one', 'Seen under the last message', 15_000)
    expect(await widget(page).locator('li.me .sn').innerText()).toBe('Seen')

    await con.getByRole('textbox', { name: 'Reply' }).fill('Both read.')
    await con.getByRole('textbox', { name: 'Reply' }).press('Enter')
    // The widget is open on a visible page: it reads the reply, and the agent sees that.
    const mine = con.locator('.chatview [role=log] li.me').filter({ hasText: 'Both read.' })
    await mine.locator('.seen').waitFor({ timeout: 15_000 })
    await con.screenshot({ path: artifactPath('console-seen.png') })
    await page.screenshot({ path: artifactPath('widget-seen.png') })
    expect(await con.locator('.chatview [role=log] .seen').count()).toBe(1)
  })

  it("still shows Seen under the agent's line the visitor read after the console reloads", async () => {
    const page = await visitorPage()
    await widget(page).getByRole('button', { name: 'Open chat' }).click()
    await send(page, 'Seen after a reload?')
    const con = await (await suite.browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage()
    contexts.push(con.context())
    await signInToConsole(con, suite.demo)
    await acceptInConsole(con, 'Seen after a reload?')
    const reply = con.getByRole('textbox', { name: 'Reply' })
    await reply.fill('Read this one.')
    await reply.press('Enter')
    const seenLine = () => con.locator('.chatview [role=log] li.me').filter({ has: con.locator('.seen') }).locator('.bubble').allInnerTexts()
    await until(async () => (await seenLine()).join('|').includes('Read this one.'), 'Seen under the read reply', 15_000)
    // The visitor leaves: the next reply stays unread.
    await page.close()
    await reply.fill('Not read yet.')
    await reply.press('Enter')
    await con.locator('.chatview [role=log] li.me').filter({ hasText: 'Not read yet.' }).locator('.bubble').waitFor()
    // Stored before the reload (no longer "Sending…"), so the relay lists the chat by this reply.
    await until(async () => (await con.locator('.chatview [role=log] li.me', { hasText: 'Not read yet.' }).innerText()).includes('Sending…') === false, 'the reply stored', 15_000)

    await con.reload()
    // The chat comes back from the relay; the visitor reads nothing more, so only the stored read position can say Seen.
    await con.locator('.chats button.chat', { hasText: 'Not read yet.' }).click({ timeout: 15_000 })
    await con.locator('.chatview [role=log] li.me').filter({ hasText: 'Not read yet.' }).waitFor({ timeout: 15_000 })
    await until(async () => (await seenLine()).length > 0, 'Seen after the reload', 15_000)
    expect(await seenLine()).toEqual([expect.stringContaining('Read this one.')])
    expect(await con.locator('.chatview [role=log] .seen').count()).toBe(1)
  })

  it("counts down near the relay's limit and keeps a longer paste whole, saying by how much it is over, instead of cutting it", async () => {
    const page = await visitorPage()
    await widget(page).getByRole('button', { name: 'Open chat' }).click()
    await send(page, 'limits please')
    const box = widget(page).getByRole('textbox', { name: 'Message' })
    const hint = widget(page).locator('.lh')
    await box.fill('x'.repeat(LIMIT - 20))
    await until(async () => (await hint.innerText()) === '20 characters left', 'countdown')
    const paste = 'y'.repeat(LIMIT + 100)
    await box.fill(paste)
    expect(await box.inputValue()).toBe(paste)
    expect(await hint.innerText()).toBe('Too long by 100 characters: shorten it to send.')
    expect(await box.getAttribute('aria-invalid')).toBe('true')
    await page.screenshot({ path: artifactPath('widget-too-long.png') })
    await box.press('Enter')
    expect(await box.inputValue()).toBe(paste)
    expect(await chatLines(page)).toEqual(['limits please'])

    const con = await (await suite.browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage()
    contexts.push(con.context())
    await signInToConsole(con, suite.demo)
    await acceptInConsole(con, 'limits please')
    const reply = con.getByRole('textbox', { name: 'Reply' })
    await reply.fill('z'.repeat(LIMIT + 1))
    expect(await reply.inputValue()).toHaveLength(LIMIT + 1)
    await until(async () => (await con.locator('#reply-limit').innerText()) === 'Too long by 1 character: shorten it to send.', 'console says it is over')
    await reply.fill('z'.repeat(LIMIT - 1))
    await until(async () => (await con.locator('#reply-limit').innerText()) === '1 character left', 'console countdown')
  })

  it('says "1 new message" on the launcher, with the plural from two', async () => {
    const page = await visitorPage()
    await widget(page).getByRole('button', { name: 'Open chat' }).click()
    await send(page, 'count for me')
    const convId = await accept('count for me')
    await page.keyboard.press('Escape')
    await suite.agent.conn.send(convId, 'one')
    await widget(page).getByRole('button', { name: 'Open chat (1 new message)' }).waitFor()
    await suite.agent.conn.send(convId, 'two')
    await widget(page).getByRole('button', { name: 'Open chat (2 new messages)' }).waitFor()
  })

  it("hides and shows the widget on the page's command, and warns once about an unknown command", async () => {
    const page = await visitorPage()
    const warnings: string[] = []
    page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()) })
    const launcher = widget(page).getByRole('button', { name: 'Open chat' })
    await launcher.waitFor()
    await until(() => page.evaluate(() => (window as unknown as { Parley: { loaded: boolean } }).Parley.loaded === true && document.querySelector('parley-chat') !== null), 'widget loaded')
    const parley = (...args: unknown[]) => page.evaluate((a) => (window as unknown as { Parley: (...x: unknown[]) => void }).Parley(...a), args)
    const shown = async () => (await launcher.isVisible()) || (await widget(page).getByRole('dialog').isVisible())
    await parley('hide')
    await until(async () => !(await shown()), 'launcher gone')
    await parley('show')
    await launcher.waitFor()
    await launcher.click()
    await widget(page).getByRole('textbox', { name: 'Message' }).fill('half-written')
    await parley('hide')
    await until(async () => !(await shown()), 'launcher and window gone')
    await parley('show')
    await widget(page).getByRole('dialog').waitFor()
    expect(await widget(page).getByRole('textbox', { name: 'Message' }).inputValue()).toBe('half-written')
    for (let i = 0; i < 3; i++) await parley('opne')
    await parley('show')
    await until(() => warnings.some((w) => w.includes('opne')), 'warning')
    expect(warnings.filter((w) => w.includes('unknown command'))).toEqual(['Parley: unknown command "opne"; known: open, close, hide, show, set, on, off, consent, why, identify, forget'])
  })

  it("says the chat ended in the header, instead of who joined it, once the agent closed it", async () => {
    const page = await visitorPage()
    await endedChat(page, 'Header question', 'Header answer')
    const header = widget(page).locator('header p')
    await until(async () => (await header.innerText()) === 'Chat ended', 'header says ended')
    expect(await widget(page).getByText(/joined the chat/).count()).toBe(0)
  })

  it("opens the chat window on Parley('open') after Parley('hide'), showing the widget again", async () => {
    const page = await visitorPage()
    const launcher = widget(page).getByRole('button', { name: 'Open chat' })
    await launcher.waitFor()
    await until(() => page.evaluate(() => (window as unknown as { Parley: { loaded: boolean } }).Parley.loaded === true && document.querySelector('parley-chat') !== null), 'widget loaded')
    const parley = (...args: unknown[]) => page.evaluate((a) => (window as unknown as { Parley: (...x: unknown[]) => void }).Parley(...a), args)
    await parley('hide')
    await until(async () => !(await launcher.isVisible()), 'launcher gone')
    await parley('open')
    await widget(page).getByRole('dialog').waitFor()
    await widget(page).getByRole('textbox', { name: 'Message' }).waitFor()
  })

  it("honours a 'hide' queued before the widget arrived, and shows it on 'show'", async () => {
    const init = `
      window.__events = []
      window.Parley = function () { (window.Parley.q = window.Parley.q || []).push(arguments) }
      Parley('on', 'ready', () => window.__events.push('ready'))
      Parley('hide')`
    const page = await visitorPage(undefined, init)
    await until(() => page.evaluate(() => (window as unknown as { __events: string[] }).__events.includes('ready')), 'ready fired', 15_000)
    const launcher = widget(page).getByRole('button', { name: 'Open chat' })
    expect(await launcher.isVisible()).toBe(false)
    await page.evaluate(() => (window as unknown as { Parley: (c: string) => void }).Parley('show'))
    await launcher.waitFor()
  })

  it('isolates the direction of each message, so a right-to-left override in one cannot reverse what follows', async () => {
    const RLO = '\u202e'
    const hostile = `${RLO}pay 100 to bob`
    const page = await visitorPage()
    await widget(page).getByRole('button', { name: 'Open chat' }).click()
    await send(page, hostile)
    const con = await (await suite.browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage()
    contexts.push(con.context())
    await signInToConsole(con, suite.demo)
    const preview = con.locator('.queue li .preview').filter({ hasText: 'pay 100 to bob' })
    await preview.waitFor()
    const isolated = (el: Element) => {
      // The element (or the <bdi> inside it) that holds the text must be its own isolated run with auto direction.
      const holder = el.matches('[dir=auto]') ? el : el.querySelector('bdi') ?? el
      const style = getComputedStyle(holder)
      return { dir: holder.tagName === 'BDI' ? 'auto' : holder.getAttribute('dir'), isolate: style.unicodeBidi === 'isolate' || style.unicodeBidi === 'plaintext' }
    }
    expect(await preview.evaluate(isolated)).toEqual({ dir: 'auto', isolate: true })
    await acceptInConsole(con, hostile)
    const bubble = con.locator('.chatview [role=log] .bubble').filter({ hasText: 'pay 100 to bob' })
    await bubble.waitFor()
    expect(await bubble.evaluate(isolated)).toEqual({ dir: 'auto', isolate: true })
    expect(await con.locator('.chats button.chat').filter({ hasText: 'pay 100 to bob' }).locator('.muted').evaluate(isolated)).toEqual({ dir: 'auto', isolate: true })
    const mine = widget(page).locator('li.me .u').filter({ hasText: 'pay 100 to bob' })
    expect(await mine.evaluate(isolated)).toEqual({ dir: 'auto', isolate: true })

    // The line after it reads left to right: its first character is laid out left of its last.
    await con.getByRole('textbox', { name: 'Reply' }).fill('after the override')
    await con.getByRole('textbox', { name: 'Reply' }).press('Enter')
    await until(async () => (await chatLines(page)).includes('after the override'), 'reply shown', 15_000)
    const leftToRight = (el: Element) => {
      const text = el.firstChild ?? el
      const r = document.createRange()
      const x = (i: number) => { r.setStart(text, i); r.setEnd(text, i + 1); return r.getBoundingClientRect().left }
      return x(0) < x((text.textContent ?? '').length - 1)
    }
    expect(await widget(page).locator('li.them .u').filter({ hasText: 'after the override' }).evaluate(leftToRight)).toBe(true)
    expect(await con.locator('.chatview [role=log] .bubble').filter({ hasText: 'after the override' }).evaluate(leftToRight)).toBe(true)

    // And in the transcript, once the chat is closed.
    await con.getByRole('button', { name: 'Close chat' }).click()
    await con.getByRole('button', { name: 'Transcripts' }).click()
    await con.getByLabel('Words').fill('bob')
    await con.getByRole('button', { name: 'Search' }).click()
    await con.locator('.results li button').first().click()
    const inTranscript = con.locator('.transcript .bubble').filter({ hasText: 'pay 100 to bob' })
    await inTranscript.waitFor()
    expect(await inTranscript.evaluate(isolated)).toEqual({ dir: 'auto', isolate: true })
  })
})

