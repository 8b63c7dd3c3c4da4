import { afterAll, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { describeWithChromium } from '../helpers/chromium.js'
import { demoSuite } from '../helpers/demo-suite.js'
import { until } from '../helpers/until.js'
import { signInToConsole } from '../helpers/console-page.js'

// The agent console from an agent's seat: what the sign-in form says when the relay refuses, and
// that the reply box always belongs to the chat on screen, even right after accepting another.

describeWithChromium('agent console sign-in and accepting chats in Chromium', () => {
  const suite = demoSuite()
  const contexts: BrowserContext[] = []

  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()))
  })

  async function newPage(url?: string): Promise<Page> {
    const context = await suite.browser.newContext({ viewport: { width: 1400, height: 900 } })
    contexts.push(context)
    const page = await context.newPage()
    if (url) await page.goto(url)
    return page
  }

  const widget = (p: Page) => p.locator('parley-chat')
  const theirLines = (p: Page) => widget(p).locator('[role=log] li.them .u').allInnerTexts()

  /** A visitor on the demo site who has written `text`, delivered. */
  async function visitorWriting(text: string): Promise<Page> {
    const page = await newPage(`${suite.demo.siteUrl}/`)
    await widget(page).getByRole('button', { name: 'Open chat' }).click()
    const box = widget(page).getByRole('textbox', { name: 'Message' })
    await box.fill(text)
    await box.press('Enter')
    await until(async () => (await widget(page).locator('li.me').filter({ hasText: text }).locator('.s').allInnerTexts()).includes('Sent'), `"${text}" sent`, 15_000)
    return page
  }

  it('tells an agent after too many wrong passwords how long to wait, in words', async () => {
    const page = await newPage(suite.demo.consoleUrl)
    // An address with no account: attempts count per brand and e-mail before any password is checked.
    await page.getByLabel('E-mail').fill('nobody@suite.demo.parley.test')
    const alert = page.getByRole('alert')
    const statuses: number[] = []
    for (let attempt = 1; attempt <= 11; attempt++) {
      await page.getByLabel('Password').fill(`wrong-${attempt}`)
      const [res] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/v1/agent/sessions')),
        page.getByRole('button', { name: 'Sign in' }).click(),
      ])
      statuses.push(res.status())
      // How long is left of the minute depends on how fast the attempts went: minutes or seconds, in words.
      const expected = res.status() === 429 ? /^Too many sign-in attempts\. Try again in (1 minute|\d+ seconds?)\.$/ : /^Unknown brand, e-mail or password\.$/
      await until(async () => (await alert.count()) === 1 && expected.test(await alert.innerText()), `attempt ${attempt}: ${expected}`)
    }
    // The login limit is 10 a minute per brand and e-mail: the eleventh is refused before any check.
    expect(statuses).toEqual([...Array(10).fill(401), 429])
    expect(await alert.innerText()).not.toMatch(/Rate limit|ms/)
  })

  it('puts an accepted chat on screen at once, so what the agent types next goes to it and never to the chat that was shown', async () => {
    const first = await visitorWriting('Is order 5512 shipped?')
    const second = await visitorWriting('Can I change my address?')
    const con = await newPage()
    await signInToConsole(con, suite.demo)
    const chatLabel = () => con.locator('.chatview').getAttribute('aria-label')
    const reply = con.getByRole('textbox', { name: 'Reply' })

    await con.getByRole('button', { name: 'Accept: Is order 5512 shipped?' }).click()
    await until(async () => (await con.locator('.chatview [role=log] .bubble').allInnerTexts()).includes('Is order 5512 shipped?'), 'first chat loaded')
    const firstLabel = await chatLabel()
    expect(await reply.isEnabled()).toBe(true)

    // Click Accept and look before any answer of the relay can arrive (a socket message is a task;
    // these are microtasks, which also let Preact render): whatever reply box is on screen now is
    // what a fast agent types into.
    const atOnce = await con.evaluate(async () => {
      const accept = document.querySelector<HTMLButtonElement>('button[aria-label="Accept: Can I change my address?"]')!
      accept.click()
      for (let i = 0; i < 20; i++) await Promise.resolve()
      const box = document.querySelector<HTMLTextAreaElement>('textarea[aria-label="Reply"]')
      return { chat: document.querySelector('.chatview')?.getAttribute('aria-label') ?? null, replyEnabled: box ? !box.disabled : false }
    })
    expect(atOnce.chat).not.toBe(firstLabel)
    expect(atOnce.replyEnabled).toBe(false)

    // Once the relay has handed it over, the reply goes to the second visitor only.
    await until(() => reply.isEnabled(), 'second chat ready')
    expect(await chatLabel()).toBe(atOnce.chat)
    expect(await con.locator('.chatview [role=log] .bubble').allInnerTexts()).toContain('Can I change my address?')
    await reply.fill('Yes, tell me the new one.')
    await reply.press('Enter')
    await until(async () => (await theirLines(second)).includes('Yes, tell me the new one.'), 'second visitor answered', 15_000)
    expect(await theirLines(first)).not.toContain('Yes, tell me the new one.')
  })
})
