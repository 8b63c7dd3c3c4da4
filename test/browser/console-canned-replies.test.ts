import { afterAll, beforeAll, expect, it } from 'vitest'
import type { BrowserContext, Locator, Page } from 'playwright-core'
import type { SurveysConfig } from '@parley/sdk/contract'
import { describeWithChromium } from '../helpers/chromium.js'
import { demoSuite } from '../helpers/demo-suite.js'
import { signInToConsole } from '../helpers/console-page.js'
import { until } from '../helpers/until.js'
import { seriousViolations } from '../helpers/axe.js'

// Canned replies between the two real front ends: the visitor gives their name in the pre-chat form,
// the agent types /refund in the console's composer and the reply, with the visitor's name and the
// agent's filled in, reaches the visitor's widget. Then the picker by keyboard and mouse, and the
// management view (brand-wide and personal, each marked).

const SURVEYS: SurveysConfig = {
  surveys: [{ id: 'pre', kind: 'pre', name: 'Before we start', fields: [{ id: 'name', type: 'text', label: 'Your name', purpose: 'name', required: true }] }],
  pre: 'pre',
}
const REFUND = 'Hi {visitor.name|there}, refunds reach your card within 5 days. {agent.firstName}, {order.id}'

describeWithChromium('canned replies in the console in Chromium', () => {
  const suite = demoSuite()
  const contexts: BrowserContext[] = []
  let visitor: Page
  let con: Page
  let reply: Locator

  const widget = (p: Page) => p.locator('parley-chat')
  async function api(method: string, path: string, body: unknown): Promise<void> {
    const res = await fetch(`${suite.demo.url}${path}`, {
      method, headers: { authorization: `Bearer ${suite.demo.demo.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
    })
    expect(res.status, await res.clone().text()).toBeLessThan(300)
  }
  async function newPage(): Promise<Page> {
    // bypassCSP: axe-core is injected into the console to check the picker and the view.
    const context = await suite.browser.newContext({ viewport: { width: 1400, height: 900 }, bypassCSP: true })
    contexts.push(context)
    return context.newPage()
  }

  beforeAll(async () => {
    await api('PUT', '/v1/surveys', SURVEYS)
    await api('POST', '/v1/canned-replies', { scope: 'brand', shortcut: 'refund', title: 'Refund policy', text: REFUND })
    await api('POST', '/v1/canned-replies', { scope: 'brand', shortcut: 'returns', title: 'Returns address', text: 'Send it back to 1 Tea Street.' })
    await api('POST', '/v1/canned-replies', { scope: 'brand', shortcut: 'hello', title: 'Greeting', text: 'Hello {visitor.name}!' })

    visitor = await newPage()
    await visitor.goto(`${suite.demo.siteUrl}/`)
    await widget(visitor).getByRole('button', { name: 'Open chat' }).click()
    await widget(visitor).getByRole('textbox', { name: 'Your name' }).fill('Maya Lind')
    await widget(visitor).getByRole('button', { name: 'Start chat' }).click()
    const box = widget(visitor).getByRole('textbox', { name: 'Message' })
    await box.fill('I want my money back')
    await box.press('Enter')

    con = await newPage()
    await signInToConsole(con, suite.demo)
    const card = con.locator('ul.queue > li').filter({ hasText: 'I want my money back' })
    await until(async () => (await card.count()) === 1, 'the chat in the queue', 15_000)
    await card.getByRole('button', { name: /^Accept/ }).click()
    await until(async () => (await con.getByRole('heading', { name: 'Maya Lind' }).count()) === 1, "the visitor's name on the chat", 15_000)
    reply = con.getByRole('textbox', { name: 'Reply' })
    await until(() => reply.isEnabled(), 'the reply box open', 15_000)
  }, 60_000)
  afterAll(async () => { await Promise.all(contexts.map((c) => c.close())) })

  it("sends /refund, filled with the visitor's and the agent's names, to the visitor's widget", async () => {
    await reply.pressSequentially('/refund')
    await reply.press(' ')
    const filled = 'Hi Maya Lind, refunds reach your card within 5 days. Dana, {order.id}'
    expect(await reply.inputValue()).toBe(filled)
    await reply.press('Enter')
    const theirLines = () => widget(visitor).locator('[role=log] li.them .u').allInnerTexts()
    await until(async () => (await theirLines()).includes(filled), 'the canned reply in the widget', 15_000)
    expect(await reply.inputValue()).toBe('')
  })

  it('offers matches as the agent types, chosen with the arrow keys and Enter, closed with Esc', async () => {
    await reply.fill('')
    await reply.pressSequentially('Sure. /re')
    const picker = con.getByRole('listbox', { name: 'Canned replies' })
    const options = picker.getByRole('option')
    // Shortcuts starting with "re" first, then a title holding it (Greeting).
    await until(async () => (await options.count()) === 3, 'three matches')
    expect(await options.allInnerTexts()).toEqual([expect.stringContaining('/refund'), expect.stringContaining('/returns'), expect.stringContaining('/hello')])
    expect(await options.nth(0).getAttribute('aria-selected')).toBe('true')
    expect(await seriousViolations(con)).toEqual([])
    await reply.press('ArrowDown')
    expect(await options.nth(1).getAttribute('aria-selected')).toBe('true')
    expect(await con.locator('.reply [role=status].sr-only').innerText()).toContain('/returns, Returns address')
    await reply.press('Enter')
    expect(await reply.inputValue()).toBe('Sure. Send it back to 1 Tea Street.')
    expect(await picker.count()).toBe(0)

    await reply.pressSequentially(' /hel')
    await until(async () => (await options.count()) === 1, 'one match')
    await reply.press('Escape')
    expect(await picker.count()).toBe(0)
    await reply.press('Tab') // closed: Tab leaves the box as usual, nothing is inserted
    expect(await reply.inputValue()).toBe('Sure. Send it back to 1 Tea Street. /hel')
  })

  it('inserts a reply clicked with the mouse, with Tab as well as Enter by keyboard', async () => {
    await reply.fill('')
    await reply.pressSequentially('/')
    const option = con.getByRole('option', { name: /\/hello/ })
    await until(async () => (await option.count()) === 1, 'every reply for a bare /')
    await option.click()
    expect(await reply.inputValue()).toBe('Hello Maya Lind!')
    await reply.pressSequentially(' /ret')
    await reply.press('Tab')
    expect(await reply.inputValue()).toBe('Hello Maya Lind! Send it back to 1 Tea Street.')
    await reply.fill('')
  })

  it('adds a personal reply in the management view, marked as such, which then wins over the brand one', async () => {
    await con.getByRole('button', { name: 'Canned replies' }).click()
    const view = con.getByRole('region', { name: 'Canned replies' })
    await until(async () => (await view.getByRole('region', { name: 'Brand-wide (every agent)' }).getByRole('listitem').count()) === 3, 'the brand replies')
    await view.getByRole('button', { name: 'New reply' }).click()
    await view.getByRole('radio', { name: 'Personal (only me)' }).check()
    // Typed as it is used, with its slash and a capital: stored as the contract wants it.
    await view.getByRole('textbox', { name: 'Shortcut' }).fill('/Refund')
    await view.getByRole('textbox', { name: 'Title' }).fill('My refund words')
    await view.getByRole('textbox', { name: 'Text' }).fill('{visitor.name|Hi}, I have started your refund.')
    expect(await seriousViolations(con)).toEqual([])
    await view.getByRole('button', { name: 'Add reply' }).click()
    const personal = view.getByRole('region', { name: 'Personal (only you)' }).getByRole('listitem')
    await until(async () => (await personal.count()) === 1, 'the personal reply listed')
    expect(await personal.innerText()).toContain('Personal')
    expect(await personal.locator('.sc').innerText()).toBe('/refund')

    // The same shortcut twice in my scope is refused, and says why.
    await view.getByRole('button', { name: 'New reply' }).click()
    await view.getByRole('textbox', { name: 'Shortcut' }).fill('two words')
    await view.getByRole('textbox', { name: 'Title' }).fill('Again')
    await view.getByRole('textbox', { name: 'Text' }).fill('Again')
    // A shortcut the contract does not allow is refused in the form, saying what one may be.
    await view.getByRole('button', { name: 'Add reply' }).click()
    await until(async () => (await view.getByRole('alert').filter({ hasText: 'lowercase letters' }).count()) === 1, 'the shortcut explained')
    await view.getByRole('textbox', { name: 'Shortcut' }).fill('refund')
    await view.getByRole('button', { name: 'Add reply' }).click()
    await until(async () => (await view.getByRole('alert').filter({ hasText: 'already used' }).count()) === 1, 'the refusal')
    await view.getByRole('button', { name: 'Cancel' }).click()

    await view.getByRole('searchbox', { name: 'Search' }).fill('TEA STREET')
    await until(async () => (await view.getByRole('listitem').count()) === 1, 'one match')
    await view.getByRole('searchbox', { name: 'Search' }).fill('')

    await con.getByRole('button', { name: /Maya Lind/ }).first().click()
    await reply.pressSequentially('/refund')
    await reply.press(' ')
    expect(await reply.inputValue()).toBe('Maya Lind, I have started your refund.')
    await reply.fill('')

    await con.getByRole('button', { name: 'Canned replies' }).click()
    await view.getByRole('button', { name: 'Delete /refund' }).first().click()
    await view.getByRole('button', { name: 'Really delete /refund' }).click()
    await until(async () => (await view.getByRole('region', { name: 'Personal (only you)' }).getByRole('listitem').count()) === 0, 'the personal reply gone')
  })
})
