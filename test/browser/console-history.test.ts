import { afterAll, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { describeWithChromium } from '../helpers/chromium.js'
import { demoSuite } from '../helpers/demo-suite.js'
import { signInToConsole } from '../helpers/console-page.js'
import { TestClient } from '../helpers/ws-client.js'
import { until } from '../helpers/until.js'
import { seriousViolations } from '../helpers/axe.js'

// A returning visitor from the agent's seat: their earlier conversation is listed beside the new
// chat (date, status, how it began) and opens as a read-only transcript; in Transcripts, words with
// the agent filter find the chat that is still open, marked open.

describeWithChromium('earlier conversations and search in the agent console in Chromium', () => {
  // One visitor opens twelve conversations here, more than the default ten a minute.
  const suite = demoSuite({ args: ['--visitor-conversations-per-minute', '20'] })
  const contexts: BrowserContext[] = []
  const visitors: TestClient[] = []
  let page: Page
  afterAll(async () => {
    for (const v of visitors) v.close()
    await Promise.all(contexts.map((c) => c.close()))
  })

  const wsUrl = () => `${suite.demo.url.replace('http', 'ws')}/v1/live`
  async function visitor(token?: string): Promise<{ client: TestClient; token: string }> {
    const { client, welcome } = await TestClient.visitor(wsUrl(), suite.demo.demo.siteKey, token ? { token } : {})
    visitors.push(client)
    if (welcome.identity.kind !== 'visitor') throw new Error('expected a visitor')
    return { client, token: welcome.identity.token }
  }
  async function write(client: TestClient, convId: string, text: string): Promise<void> {
    const clientMsgId = `m-${Math.random().toString(36).slice(2)}`
    client.send({ type: 'message.send', convId, clientMsgId, text })
    await client.next('message.ack', (f) => f.clientMsgId === clientMsgId)
  }

  it('lists a returning visitor\'s earlier conversation beside their new chat and opens it as a transcript', async () => {
    // First visit: a conversation the visitor ends themselves.
    const first = await visitor()
    await write(first.client, 'conv-first-visit', 'My kettle leaks from the bottom')
    first.client.send({ type: 'conversation.close', convId: 'conv-first-visit', ref: 'close-1' })
    await first.client.next('conversation.closed', (f) => f.convId === 'conv-first-visit')
    first.client.close()
    // They come back (the same visitor token) and write again.
    const again = await visitor(first.token)
    await write(again.client, 'conv-second-visit', 'Hello again about the kettle')

    // axe is injected as an inline script, which the console's CSP would refuse.
    const context = await suite.browser.newContext({ viewport: { width: 1400, height: 900 }, bypassCSP: true })
    contexts.push(context)
    page = await context.newPage()
    await signInToConsole(page, suite.demo)
    await page.getByRole('button', { name: 'Accept: Hello again about the kettle' }).click()
    const earlier = page.getByRole('region', { name: 'Earlier conversations' })
    const items = earlier.locator('ul.results > li')
    await until(async () => (await items.count()) === 1, 'the earlier conversation listed')
    const item = await items.first().innerText()
    expect(item).toContain('My kettle leaks from the bottom')
    expect(item).toContain('closed')
    expect(item).toContain(new Date().getFullYear().toString())
    // The chat on screen is not its own history.
    expect(await earlier.innerText()).not.toContain('Hello again about the kettle')

    await items.first().getByRole('button').click()
    const dialog = page.getByRole('dialog', { name: 'Earlier conversation' })
    const transcript = dialog.getByRole('article', { name: 'Transcript' })
    await until(async () => (await transcript.innerText()).includes('My kettle leaks from the bottom'), 'the transcript in the dialog')
    expect(await transcript.innerText()).toContain('Conversation conv-first-visit')
    // Read-only: no reply box in it.
    expect(await dialog.getByRole('textbox').count()).toBe(0)
    expect(await seriousViolations(page)).toEqual([])
    await page.keyboard.press('Escape')
    await until(async () => (await dialog.count()) === 0, 'the dialog closed')
    // The chat itself is still there to answer.
    expect(await page.locator('.chatview').innerText()).toContain('Hello again about the kettle')
  })

  it('finds the open chat by its words with the agent filter in Transcripts, marked open', async () => {
    await page.getByRole('button', { name: 'Transcripts' }).click()
    await page.getByLabel('Words').fill('kettle')
    const agentFilter = page.getByLabel('Agent')
    await until(async () => (await agentFilter.locator('option').count()) > 1, 'the team in the agent filter')
    await agentFilter.selectOption({ index: 1 })
    await page.getByRole('button', { name: 'Search' }).click()
    const results = page.locator('ul.results > li')
    await until(async () => (await results.count()) === 1 && (await results.first().locator('.open-mark').count()) === 1, 'one result, marked open')
    // Without the agent filter the closed first visit (nobody took it) comes too, not marked open.
    await agentFilter.selectOption({ index: 0 })
    await page.getByRole('button', { name: 'Search' }).click()
    await until(async () => (await results.count()) === 2, 'both visits')
    expect(await results.nth(1).locator('.open-mark').count()).toBe(0)
    await results.first().getByRole('button').click()
    const transcript = page.getByRole('article', { name: 'Transcript' })
    await until(async () => (await transcript.innerText()).includes('Hello again about the kettle'), 'the open chat as a transcript')
    expect(await transcript.innerText()).toContain('(open)')
    expect(await seriousViolations(page)).toEqual([])
  })
  it("never shows one visitor's history beside another's chat, and holds More while a page loads", async () => {
    /** A visitor with `earlier` closed conversations, now writing `now`; their visitor id. */
    async function returning(name: string, earlier: number, now: string): Promise<string> {
      const { client, welcome } = await TestClient.visitor(wsUrl(), suite.demo.demo.siteKey)
      visitors.push(client)
      for (let i = 0; i < earlier; i++) {
        const convId = `conv-${name}-${i}`
        await write(client, convId, `${name} earlier chat ${i}`)
        client.send({ type: 'conversation.close', convId, ref: `close-${name}-${i}` })
        await client.next('conversation.closed', (f) => f.convId === convId)
      }
      await write(client, `conv-${name}-now`, now)
      return (welcome.identity as { visitorId: string }).visitorId
    }
    const slowId = await returning('slow', 1, 'Slow visitor writes')
    await returning('other', 11, 'Other visitor writes')
    await page.getByRole('button', { name: 'Accept: Slow visitor writes' }).click()
    await page.getByRole('button', { name: 'Accept: Other visitor writes' }).click()
    /** Holds the matching listing requests until the returned function is called. */
    const holdWhile = async (match: (url: URL) => boolean): Promise<() => void> => {
      let release: () => void = () => {}
      const held = new Promise<void>((resolve) => { release = resolve })
      await page.route(match, async (route) => { await held; await route.continue() })
      return release
    }
    // The slow visitor's listing answers late, after the console has moved to the other chat.
    const releaseSlow = await holdWhile((url) => url.searchParams.get('visitorId') === slowId)
    await page.locator('.chats').getByRole('button', { name: /Slow visitor writes/ }).click()
    await page.locator('.chats').getByRole('button', { name: /Other visitor writes/ }).click()
    const earlier = page.getByRole('region', { name: 'Earlier conversations' })
    const items = earlier.locator('ul.results > li')
    await until(async () => (await items.count()) === 9, "the other visitor's first page")
    releaseSlow()
    await page.waitForTimeout(1000)
    expect(await earlier.innerText()).not.toContain('slow earlier chat')
    expect(await items.count()).toBe(9)

    // More cannot be pressed twice for one page.
    const releaseMore = await holdWhile((url) => url.searchParams.has('before'))
    const more = earlier.getByRole('button', { name: 'More' })
    await more.click()
    expect(await more.isDisabled()).toBe(true)
    releaseMore()
    await until(async () => (await items.count()) === 11, "the other visitor's second page")
    await page.unrouteAll()
  })
})
