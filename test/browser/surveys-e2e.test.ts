import { afterAll, expect, it } from 'vitest'
import type { BrowserContext, Locator, Page } from 'playwright-core'
import type { Conversation, Report, SurveyResponseList } from '@parley/sdk/contract'
import { artifactPath, describeWithChromium } from '../helpers/chromium.js'
import { demoSuite } from '../helpers/demo-suite.js'
import { signInToConsole } from '../helpers/console-page.js'
import { until } from '../helpers/until.js'
import { EN } from '../../widget/src/i18n/strings.js'

// Surveys end to end, as `npm start` ships them: the demo brand's pre-chat form (a field shown only
// for Billing, required fields) in the widget on the demo page routes the chat; the agent sees the
// answers beside it in the console and closes it; the visitor answers the post-chat NPS; the
// console's Reports view counts it. Then a second visitor fills in the same form while offline: the
// answers wait in the outbox and reach the relay once, when the network is back.

const CONSENT = 'I agree that Parley Demo Shop keeps this chat and these answers to help me, and deletes them after 90 days.'

describeWithChromium('surveys end to end in Chromium', () => {
  const suite = demoSuite({ demoSurveys: true })
  let agentPage: Page
  let page: Page
  const contexts: BrowserContext[] = []

  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()))
  })

  async function newContext(width: number, height: number): Promise<BrowserContext> {
    const context = await suite.browser.newContext({ viewport: { width, height }, locale: 'en-US' })
    contexts.push(context)
    return context
  }
  const widget = (p: Page) => p.locator('parley-chat')
  const form = (p: Page) => widget(p).locator('form.sv')
  const group = (p: Page, name: string): Locator => widget(p).getByRole('group', { name })

  /** A GET with the demo brand's API key. */
  async function api<T>(path: string): Promise<T> {
    const res = await fetch(`${suite.demo.url}${path}`, { headers: { authorization: `Bearer ${suite.demo.demo.apiKey}` } })
    expect(res.status, path).toBe(200)
    return (await res.json()) as T
  }
  const conversations = async () => (await api<{ conversations: Conversation[] }>('/v1/conversations?limit=200')).conversations
  const responses = async (convId: string) => (await api<SurveyResponseList>(`/v1/conversations/${convId}/responses`)).responses

  it('asks the pre-chat form first, and opens no chat while required fields are empty', async () => {
    page = await (await newContext(1200, 900)).newPage()
    await page.goto(`${suite.demo.siteUrl}/`)
    await widget(page).getByRole('button', { name: 'Open chat' }).click()
    await until(async () => (await form(page).count()) === 1, 'the pre-chat form', 15_000)
    expect(await widget(page).getByRole('textbox', { name: 'Message' }).count()).toBe(0)

    // With the mouse, from the name field the form focused: the mousedown blurs that field, and
    // nothing may move the button before the mouseup, or the click lands above it.
    expect(await page.evaluate(() => document.querySelector('parley-chat')?.shadowRoot?.activeElement?.id)).toBe('q-name')
    await form(page).getByRole('button', { name: 'Start chat' }).click()
    await until(async () => (await widget(page).locator('p.v').innerText()) === EN.fixAnswers, 'the problems announced')
    const name = widget(page).getByLabel('Your name')
    expect(await name.getAttribute('aria-invalid')).toBe('true')
    expect(await widget(page).locator(`#${await name.getAttribute('aria-describedby')}`).innerText()).toBe(EN.required)
    expect(await group(page, 'What is it about?').getByRole('radio').first().getAttribute('aria-invalid')).toBe('true')
    expect(await widget(page).getByRole('checkbox', { name: CONSENT }).getAttribute('aria-invalid')).toBe('true')
    expect(await page.evaluate(() => document.querySelector('parley-chat')?.shadowRoot?.activeElement?.id)).toBe('q-name')
    expect(await conversations()).toEqual([])
  })

  it('shows the invoice field only for Billing, and refuses an invoice number that is not digits', async () => {
    const invoice = widget(page).getByLabel('Invoice number')
    expect(await invoice.count()).toBe(0)
    await group(page, 'What is it about?').getByRole('radio', { name: 'Billing' }).check()
    await until(async () => (await invoice.count()) === 1, 'the invoice field')
    await invoice.fill('12-34')
    await invoice.blur()
    await until(async () => (await invoice.getAttribute('aria-invalid')) === 'true', 'the invoice refused')
    await group(page, 'What is it about?').getByRole('radio', { name: 'Orders' }).check()
    await until(async () => (await invoice.count()) === 0, 'the invoice field gone for Orders')
    await group(page, 'What is it about?').getByRole('radio', { name: 'Billing' }).check()
    await invoice.fill('100234')
  })

  it('opens the chat routed by its topic once the form is valid', async () => {
    await widget(page).getByLabel('Your name').fill('Ada')
    await widget(page).getByLabel('E-mail').fill('ada@example.com')
    await widget(page).getByRole('checkbox', { name: CONSENT }).check()
    await form(page).getByRole('button', { name: 'Start chat' }).click()
    const box = widget(page).getByRole('textbox', { name: 'Message' })
    await until(async () => (await box.count()) === 1, 'the composer', 15_000)
    await box.fill('My invoice shows the wrong address.')
    await box.press('Enter')
    await until(async () => (await widget(page).locator('li.me .s').allInnerTexts()).includes('Sent'), 'first message sent', 15_000)

    const [conv] = await conversations()
    expect(conv?.routing).toEqual({ topic: 'billing', skill: 'billing', priority: 'high' })
    const [pre] = await responses(conv!.convId)
    expect(pre).toMatchObject({ surveyId: 'demo-pre', version: 1, kind: 'pre', answers: { name: 'Ada', topic: 'billing', invoice: '100234', email: 'ada@example.com', consent: true } })
    expect(pre?.consents).toEqual({ consent: CONSENT })
  })

  it('shows the agent the chat at high priority with the answers beside it', async () => {
    agentPage = await (await newContext(1400, 900)).newPage()
    await signInToConsole(agentPage, suite.demo)
    const card = agentPage.locator('ul.queue > li').first()
    await until(async () => (await card.count()) === 1, 'the chat waiting', 15_000)
    expect(await card.innerText()).toMatch(/Priority: high[\s\S]*Topic: billing/)
    await agentPage.getByRole('button', { name: /^Accept/ }).click()
    const answers = agentPage.locator('.context .survey-answers')
    await until(async () => (await answers.locator('dd').count()) >= 5, 'the pre-chat answers', 15_000)
    expect(await answers.locator('dt').allInnerTexts()).toEqual(['Your name', 'What is it about?', 'Invoice number', 'E-mail', 'Consent'])
    const text = await answers.innerText()
    expect(text).toContain('Billing')
    expect(text).toContain('100234')
    expect(text).toContain('ada@example.com')
  })

  it('offers the post-chat survey when the agent closes the chat, and stores the NPS the visitor gives', async () => {
    await agentPage.getByRole('button', { name: 'Close chat' }).click()
    await until(async () => (await group(page, 'How likely are you to recommend us to a friend?').count()) === 1, 'the post-chat survey', 15_000)
    expect(await form(page).getByRole('button', { name: EN.skip }).count()).toBe(1)
    await group(page, 'How satisfied are you with this chat?').getByRole('radio', { name: '5 Very satisfied' }).check()
    await group(page, 'How likely are you to recommend us to a friend?').getByRole('radio', { name: '10', exact: true }).check()
    await form(page).getByRole('button', { name: EN.sendAnswers, exact: true }).click()
    await until(async () => (await widget(page).getByText(EN.surveyThanks).count()) === 1, 'thanked', 15_000)

    const post = agentPage.locator('.context section.answers[aria-label="Post-chat survey"]')
    await until(async () => (await post.count()) === 1, 'the post-chat answer beside the closed chat', 15_000)
    expect(await post.innerText()).toContain('How likely are you to recommend us to a friend?')
    const today = new Date().toISOString().slice(0, 10)
    const report = await api<Report>(`/v1/reports?from=${today}&to=${today}`)
    expect(report.total.nps).toMatchObject({ count: 1, promoters: 1, score: 100 })
    expect(report.total.csat).toMatchObject({ count: 1, average: 5 })
  })

  it('shows the answer in the console\'s Reports view, with its numbers in a table', async () => {
    await agentPage.getByRole('button', { name: 'Reports' }).click()
    const totals = agentPage.getByRole('table', { name: 'Totals for the period' })
    await until(async () => (await totals.count()) === 1, 'the Reports view', 15_000)
    const head = await totals.locator('th').allInnerTexts()
    const cells = await totals.locator('tbody td').allInnerTexts()
    const row = Object.fromEntries(head.map((h, i) => [h, cells[i]]))
    expect(row).toMatchObject({ 'Chats': '1', 'Offline messages': '0', 'Response rate': '100 %', 'CSAT average': '5', 'NPS': '100' })
    await until(async () => (await agentPage.locator('.report-chart canvas').count()) > 0, 'the charts drawn')
    await agentPage.screenshot({ path: artifactPath('surveys-e2e-reports.png') })
  })

  it('keeps pre-chat answers given offline in the outbox and sends them once when the network is back', async () => {
    const context = await newContext(1200, 900)
    const visitor = await context.newPage()
    await visitor.goto(`${suite.demo.siteUrl}/`)
    await widget(visitor).getByRole('button', { name: 'Open chat' }).click()
    await until(async () => (await form(visitor).count()) === 1, 'the pre-chat form', 15_000)
    await widget(visitor).getByLabel('Your name').fill('Lin')
    await group(visitor, 'What is it about?').getByRole('radio', { name: 'Orders' }).check()
    await widget(visitor).getByRole('checkbox', { name: CONSENT }).check()

    const before = (await conversations()).length
    await context.setOffline(true)
    await form(visitor).getByRole('button', { name: 'Start chat' }).click()
    const box = widget(visitor).getByRole('textbox', { name: 'Message' })
    await until(async () => (await box.count()) === 1, 'the chat open while offline', 15_000)
    await box.fill('Where is my order?')
    await box.press('Enter')
    await until(async () => (await widget(visitor).locator('li.me .s').allInnerTexts()).includes('Sending…'), 'the message waiting')
    expect((await conversations()).length).toBe(before)

    await context.setOffline(false)
    await until(async () => (await widget(visitor).locator('li.me .s').allInnerTexts()).includes('Sent'), 'sent once back online', 30_000)
    const orders = (await conversations()).filter((c) => c.routing?.topic === 'orders')
    expect(orders).toHaveLength(1)
    expect(orders[0]!.lastSeq).toBe(1)
    const stored = await responses(orders[0]!.convId)
    expect(stored.map((r) => [r.kind, r.answers.name, r.answers.topic])).toEqual([['pre', 'Lin', 'orders']])
  })
})
