import { beforeAll, expect, it } from 'vitest'
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import { Parley } from '@parley/sdk'
import type { Conversation, Survey } from '@parley/sdk/contract'
import { describeWithChromium } from '../helpers/chromium.js'
import { demoSuite } from '../helpers/demo-suite.js'
import { seriousViolations } from '../helpers/axe.js'
import { outboxSize } from '../helpers/widget-page.js'
import { until } from '../helpers/until.js'

// Surveys in the widget, end to end on the demo: a pre-chat form with a condition and a required
// field (errors inline and announced, submit blocked) that opens a routed chat; the post-chat
// survey when the agent closes the chat, answered and skipped; the pre-chat submit written while
// the relay is unreachable (queued, sent once, one conversation), and across a reload; axe-core on
// the forms in English and Arabic.

const PRE: Survey = {
  id: 'prechat', kind: 'pre', title: { en: 'Before we start', ar: 'قبل أن نبدأ', fr: 'Avant de commencer' },
  fields: [
    {
      id: 'topic', type: 'choice', label: { en: 'Topic', ar: 'الموضوع', fr: 'Sujet' }, required: true,
      options: [
        { value: 'billing', label: { en: 'Billing', ar: 'الفواتير' }, route: { topic: 'billing', priority: 'high' } },
        { value: 'tech', label: { en: 'Technical', ar: 'تقني' }, route: { topic: 'tech' } },
      ],
    },
    { id: 'invoice', type: 'text', label: { en: 'Invoice number', ar: 'رقم الفاتورة' }, required: true, format: 'digits', when: { field: 'topic', is: 'billing' } },
    { id: 'email', type: 'email', label: { en: 'E-mail', ar: 'البريد الإلكتروني' }, purpose: 'email' },
  ],
}
/** The shop page's pre-chat survey: nothing in it routes, so a returning visitor may have answered all of it. */
const SHORT: Survey = {
  id: 'short', kind: 'pre',
  fields: [
    { id: 'name', type: 'text', label: 'Your name', required: true, purpose: 'name' },
    { id: 'terms', type: 'consent', label: 'I accept the chat terms', required: true },
  ],
}
const OFFLINE: Survey = {
  id: 'away', kind: 'offline',
  fields: [
    { id: 'email', type: 'email', label: 'Your e-mail', required: true, purpose: 'email' },
    { id: 'message', type: 'longtext', label: 'Your message', required: true, purpose: 'message' },
    { id: 'order', type: 'number', label: 'Order number', integer: true },
  ],
}
const POST: Survey = {
  id: 'csat', kind: 'post',
  fields: [
    { id: 'score', type: 'csat', label: { en: 'How did we do?', ar: 'كيف كان أداؤنا؟' }, required: true },
    { id: 'comment', type: 'longtext', label: { en: 'Anything else?', ar: 'هل من شيء آخر؟' } },
  ],
}

describeWithChromium('surveys in the widget (Chromium, real relay)', () => {
  const suite = demoSuite({ agent: true })
  let parley: Parley
  const contexts: BrowserContext[] = []

  beforeAll(async () => {
    parley = new Parley({ relay: suite.demo.url, apiKey: suite.demo.demo.apiKey })
    await parley.surveys.set({ surveys: [PRE, POST, OFFLINE, SHORT], pre: 'prechat', post: 'csat' })
    // The pricing page offers the offline survey instead of the chat; the shop page the chat with
    // the short pre-chat survey; every other page the chat.
    await parley.rules.set([{
      id: 'away', name: 'Offline survey on pricing', when: { fact: 'path', op: 'is', value: '/pricing.html' }, action: { type: 'offline-form', survey: 'away' },
    }, {
      id: 'shop', name: 'Short survey in the shop', when: { fact: 'path', op: 'is', value: '/shop.html' }, action: { type: 'button', survey: 'short' },
    }])
  })

  async function newContext(opts: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext> {
    const ctx = await suite.browser.newContext({ bypassCSP: true, ...opts })
    contexts.push(ctx)
    return ctx
  }

  const widget = (p: Page) => p.locator('parley-chat')
  const submit = (p: Page) => widget(p).getByRole('button', { name: 'Start chat' })

  async function conversations(): Promise<Conversation[]> {
    const out: Conversation[] = []
    for await (const c of parley.conversations.list()) out.push(c)
    return out
  }

  /** Opens the widget on a fresh visitor's page and waits for the pre-chat form. */
  async function openForm(ctx?: BrowserContext, launcher = 'Open chat', start = 'Start chat', path = '/'): Promise<Page> {
    const page = await (ctx ?? await newContext()).newPage()
    await page.goto(`${suite.demo.siteUrl}${path}`)
    await widget(page).getByRole('button', { name: launcher }).click()
    await widget(page).getByRole('button', { name: start }).waitFor()
    return page
  }

  /** Fills the pre-chat form validly (billing, invoice 12345) and submits it. */
  async function answerPre(page: Page): Promise<void> {
    await widget(page).getByRole('radio', { name: 'Billing' }).check()
    await widget(page).getByRole('textbox', { name: 'Invoice number' }).fill('12345')
    await submit(page).click()
    await widget(page).getByRole('textbox', { name: 'Message' }).waitFor()
  }

  async function sendMessage(page: Page, text: string): Promise<void> {
    const box = widget(page).getByRole('textbox', { name: 'Message' })
    await box.fill(text)
    await box.press('Enter')
    await until(async () => (await widget(page).locator('li.me').filter({ hasText: text }).locator('.s').allInnerTexts()).includes('Sent'), `"${text}" sent`, 15_000)
  }

  /** The newest conversation (the one the last test step opened). */
  async function newest(): Promise<Conversation> {
    return (await conversations())[0]!
  }

  /** The agent accepts the newest conversation and closes it. */
  async function agentCloses(): Promise<string> {
    const { convId } = await newest()
    await suite.agent.conn.request({ type: 'conversation.accept', convId })
    await suite.agent.conn.request({ type: 'conversation.close', convId })
    return convId
  }

  const describedError = async (input: Locator) => {
    const id = await input.getAttribute('aria-describedby')
    return id ? widget(input.page()).locator(`[id="${id.split(' ').find((x) => x.endsWith('-e'))}"]`).innerText() : null
  }

  it('blocks a submit with a required answer missing, marks it and announces it', async () => {
    const page = await openForm()
    const before = (await conversations()).length
    await submit(page).click()
    const billing = widget(page).getByRole('radio', { name: 'Billing' })
    expect(await billing.getAttribute('aria-invalid')).toBe('true')
    expect(await describedError(billing)).toBe('Please fill this in.')
    expect(await widget(page).locator('form [aria-live=polite]').innerText()).toBe('Please check the highlighted answers.')
    expect(await billing.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).toBe(true)
    expect((await conversations()).length).toBe(before)
  })

  it('shows the invoice field only for billing and checks it as the visitor leaves it', async () => {
    const page = await openForm()
    expect(await widget(page).getByRole('textbox', { name: 'Invoice number' }).count()).toBe(0)
    await widget(page).getByRole('radio', { name: 'Billing' }).check()
    const invoice = widget(page).getByRole('textbox', { name: 'Invoice number' })
    await invoice.fill('INV-9')
    await invoice.blur()
    await until(async () => (await invoice.getAttribute('aria-invalid')) === 'true', 'invoice marked')
    expect(await describedError(invoice)).toBe('Please check the format of this answer.')
    await invoice.fill('12345')
    await until(async () => (await invoice.getAttribute('aria-invalid')) === null, 'invoice fixed')
  })

  it('opens a chat routed by the answers once the form is valid', async () => {
    const page = await openForm()
    await answerPre(page)
    await sendMessage(page, 'Invoice question')
    const c = await newest()
    expect(c.routing).toMatchObject({ topic: 'billing', priority: 'high' })
    const [response] = await parley.conversations.responses(c.convId)
    expect(response).toMatchObject({ surveyId: 'prechat', kind: 'pre', answers: { topic: 'billing', invoice: '12345' } })
  })

  it('offers the post-chat survey when the agent closes the chat and stores the answer', async () => {
    const page = await openForm()
    await answerPre(page)
    await sendMessage(page, 'Please close me with a survey')
    const convId = await agentCloses()
    await widget(page).getByRole('radio', { name: '5 Very satisfied' }).check()
    await widget(page).getByRole('textbox', { name: 'Anything else?' }).fill('Quick and kind')
    await widget(page).getByRole('button', { name: 'Send answers' }).click()
    await until(async () => (await widget(page).getByText('Thank you for your answers!').count()) === 1, 'thanks')
    await until(async () => (await parley.conversations.responses(convId)).some((r) => r.kind === 'post'), 'post answer stored', 15_000)
    const post = (await parley.conversations.responses(convId)).find((r) => r.kind === 'post')
    expect(post?.answers).toEqual({ score: 5, comment: 'Quick and kind' })
  })

  it('lets the visitor skip the post-chat survey, storing nothing', async () => {
    const page = await openForm()
    await answerPre(page)
    await sendMessage(page, 'I will skip the survey')
    const convId = await agentCloses()
    await widget(page).getByRole('button', { name: 'Skip' }).click()
    expect(await widget(page).getByRole('radio', { name: '5 Very satisfied' }).count()).toBe(0)
    expect((await parley.conversations.responses(convId)).filter((r) => r.kind === 'post')).toEqual([])
  })

  it('keeps focus in the panel when the chat ends under the message box and when the survey is skipped', async () => {
    const page = await openForm()
    await answerPre(page)
    await sendMessage(page, 'Where does my focus go?')
    /** The focused element in the widget: its role and name, or null when focus left it. */
    const focused = () => page.evaluate(() => {
      const a = document.querySelector('parley-chat')?.shadowRoot?.activeElement as HTMLInputElement | null | undefined
      return a ? `${a.type}: ${a.closest('label')?.textContent ?? a.textContent}` : null
    })
    expect(await focused()).toBe('textarea: ')
    await agentCloses()
    await until(async () => (await focused()) === 'radio: 1 Very dissatisfied', 'focus on the survey that replaced the message box')
    await widget(page).getByRole('button', { name: 'Skip' }).press('Enter')
    await until(async () => (await focused()) === 'button: Start a new chat', 'focus on New chat once the survey is gone')
  })

  it('asks a returning visitor only what they did not answer before, and sends the earlier answers along', async () => {
    const page = await openForm()
    await answerPre(page)
    await sendMessage(page, 'First chat of a returning visitor')
    await agentCloses()
    await widget(page).getByRole('button', { name: 'Skip' }).click()
    await widget(page).getByRole('button', { name: 'Start a new chat' }).click()
    await submit(page).waitFor()
    // The invoice was answered before: not asked. The topic routes this chat: asked every time.
    await widget(page).getByRole('radio', { name: 'Billing' }).check()
    expect(await widget(page).getByRole('textbox', { name: 'Invoice number' }).count()).toBe(0)
    await widget(page).getByRole('textbox', { name: 'E-mail' }).fill('ann@example.com')
    await submit(page).click()
    await sendMessage(page, 'Second chat of a returning visitor')
    const c = await newest()
    expect(c.routing).toMatchObject({ topic: 'billing' })
    const [response] = await parley.conversations.responses(c.convId)
    expect(response?.answers).toEqual({ topic: 'billing', invoice: '12345', email: 'ann@example.com' })
  })

  it('queues a pre-chat submit while the relay is unreachable and opens one conversation on reconnect', async () => {
    const ctx = await newContext()
    const page = await openForm(ctx)
    const before = (await conversations()).length
    await ctx.setOffline(true)
    await answerPre(page)
    await until(async () => (await widget(page).getByText('Your answers will be sent when the connection is back.').count()) === 1, 'shown as waiting')
    expect(await outboxSize(page, suite.demo.demo.siteKey)).toBe(1)
    expect((await conversations()).length).toBe(before)
    await ctx.setOffline(false)
    await until(async () => (await outboxSize(page, suite.demo.demo.siteKey)) === 0, 'sent', 30_000)
    await until(async () => (await conversations()).length === before + 1, 'one conversation', 15_000)
    expect((await conversations()).length).toBe(before + 1)
  }, 60_000)

  it('keeps a pre-chat answer in the outbox across a reload and sends it once', async () => {
    const ctx = await newContext()
    let blocked = true
    // The relay is unreachable for this visitor while blocked: every socket is refused.
    await ctx.routeWebSocket(/\/v1\/live/, (ws) => { if (blocked) ws.close(); else ws.connectToServer() })
    const page = await openForm(ctx)
    const before = (await conversations()).length
    await answerPre(page)
    await until(async () => (await outboxSize(page, suite.demo.demo.siteKey)) === 1, 'in the outbox')
    await page.reload()
    await until(async () => (await widget(page).getByText('Your answers will be sent when the connection is back.').count()) === 1 || (await widget(page).getByRole('button', { name: 'Open chat' }).count()) === 1, 'reloaded')
    expect(await outboxSize(page, suite.demo.demo.siteKey)).toBe(1)
    blocked = false
    await page.reload()
    await until(async () => (await outboxSize(page, suite.demo.demo.siteKey)) === 0, 'sent after the reload', 30_000)
    await until(async () => (await conversations()).length === before + 1, 'one conversation', 15_000)
  }, 60_000)

  it('shows the survey an agent sends during a chat and stores the answer', async () => {
    const page = await openForm()
    await answerPre(page)
    await sendMessage(page, 'Send me the survey now')
    const { convId } = await newest()
    await suite.agent.conn.request({ type: 'conversation.accept', convId })
    await suite.agent.conn.request({ type: 'survey.request', convId, surveyId: 'csat' })
    await widget(page).getByRole('radio', { name: '4 Satisfied' }).check()
    await widget(page).getByRole('button', { name: 'Send answers' }).click()
    await until(async () => (await parley.conversations.responses(convId)).some((r) => r.surveyId === 'csat'), 'answer stored', 15_000)
    expect((await parley.conversations.responses(convId)).find((r) => r.surveyId === 'csat')?.answers).toEqual({ score: 4 })
  })

  it('does not offer the post-chat survey again once the visitor answered it on the agent\'s request', async () => {
    const page = await openForm()
    await answerPre(page)
    await sendMessage(page, 'Ask me once only')
    const { convId } = await newest()
    await suite.agent.conn.request({ type: 'conversation.accept', convId })
    await suite.agent.conn.request({ type: 'survey.request', convId, surveyId: 'csat' })
    await widget(page).getByRole('radio', { name: '5 Very satisfied' }).check()
    await widget(page).getByRole('button', { name: 'Send answers' }).click()
    await until(async () => (await parley.conversations.responses(convId)).some((r) => r.surveyId === 'csat'), 'answer stored', 15_000)
    await suite.agent.conn.request({ type: 'conversation.close', convId })
    await widget(page).getByText('This chat has ended.').waitFor()
    expect(await widget(page).getByRole('radio', { name: '5 Very satisfied' }).count()).toBe(0)
    expect(await widget(page).getByText('Thank you for your answers!').count()).toBe(1)
  })

  it('opens the chat at once for a returning visitor who answered every pre-chat field before', async () => {
    const page = await openForm(undefined, 'Open chat', 'Start chat', '/shop.html')
    await widget(page).getByRole('textbox', { name: 'Your name' }).fill('Ann')
    await widget(page).getByRole('checkbox', { name: 'I accept the chat terms' }).check()
    await submit(page).click()
    await sendMessage(page, 'First chat from the shop')
    await agentCloses()
    await widget(page).getByRole('button', { name: 'Skip' }).click()
    await widget(page).getByRole('button', { name: 'Start a new chat' }).click()
    await sendMessage(page, 'Second chat from the shop')
    expect(await submit(page).count()).toBe(0)
    const c = await newest()
    const [response] = await parley.conversations.responses(c.convId)
    expect(response).toMatchObject({ surveyId: 'short', kind: 'pre', answers: { name: 'Ann', terms: true } })
  })

  it('asks for a tick on a required consent box left unticked', async () => {
    const page = await openForm(undefined, 'Open chat', 'Start chat', '/shop.html')
    await submit(page).click()
    expect(await describedError(widget(page).getByRole('checkbox', { name: 'I accept the chat terms' }))).toBe('Please tick this box to continue.')
  })

  it('marks required fields with a visible star explained once, and names them without it', async () => {
    const page = await openForm(undefined, 'Open chat', 'Start chat', '/shop.html')
    expect(await widget(page).getByText('Fields marked * are required.').count()).toBe(1)
    const name = widget(page).getByRole('textbox', { name: 'Your name', exact: true })
    expect(await name.getAttribute('aria-required')).toBe('true')
    expect(await widget(page).locator('label[for="q-name"]').innerText()).toBe('Your name *')
  })

  it('lets the visitor end the chat after confirming, and then offers the post-chat survey', async () => {
    const page = await openForm()
    await answerPre(page)
    await sendMessage(page, 'I will end this myself')
    const { convId } = await newest()
    await widget(page).getByRole('button', { name: 'End chat' }).click()
    await widget(page).getByRole('button', { name: 'No' }).click()
    expect(await widget(page).getByRole('textbox', { name: 'Message' }).count()).toBe(1)
    await widget(page).getByRole('button', { name: 'End chat' }).click()
    expect(await widget(page).getByText('End this chat?').count()).toBe(1)
    await widget(page).getByRole('button', { name: 'Yes' }).click()
    await widget(page).getByRole('radio', { name: '5 Very satisfied' }).waitFor()
    expect(await widget(page).getByText('This chat has ended.').count()).toBe(1)
    expect((await parley.conversations.retrieve(convId)).status).toBe('closed')
  })

  it("shows a survey in the visitor's preferred language when only the survey speaks it", async () => {
    const page = await openForm(await newContext({ locale: 'fr-FR' }))
    expect(await widget(page).getByRole('heading', { name: 'Avant de commencer' }).count()).toBe(1)
    expect(await widget(page).getByRole('group', { name: /^Sujet/ }).count()).toBe(1)
    await submit(page).click()
    // The widget ships no French: its own words stay English.
    expect(await describedError(widget(page).getByRole('radio', { name: 'Billing' }))).toBe('Please fill this in.')
  })

  it('shows a survey the agent sends in one scroll area with the chat, its submit named apart', async () => {
    const page = await openForm()
    await answerPre(page)
    await sendMessage(page, 'One scroll area please')
    const { convId } = await newest()
    await suite.agent.conn.request({ type: 'conversation.accept', convId })
    await suite.agent.conn.request({ type: 'survey.request', convId, surveyId: 'csat' })
    await widget(page).getByRole('radio', { name: '5 Very satisfied' }).waitFor()
    expect(await widget(page).getByRole('button', { name: 'Send', exact: true }).count()).toBe(1)
    expect(await widget(page).getByRole('button', { name: 'Send answers' }).count()).toBe(1)
    const scrollAreas = await widget(page).getByRole('dialog').evaluate((panel) =>
      [...panel.querySelectorAll('*')].filter((el) => el.tagName !== 'TEXTAREA' && ['auto', 'scroll'].includes(getComputedStyle(el).overflowY)).length)
    expect(scrollAreas).toBe(1)
  })

  it("sends the rule's offline survey, masked, as an offline conversation that keeps the address", async () => {
    const page = await (await newContext()).newPage()
    await page.goto(`${suite.demo.siteUrl}/pricing.html`)
    await widget(page).getByRole('button', { name: 'Open chat' }).click()
    const form = widget(page).getByRole('dialog', { name: 'Leave us a message' })
    await form.getByRole('textbox', { name: 'Your e-mail' }).fill('ada@example.com')
    await form.getByRole('textbox', { name: 'Your message' }).fill('My card 4111 1111 1111 1111 was charged twice')
    await form.getByRole('textbox', { name: 'Order number' }).fill('1.5')
    await form.getByRole('button', { name: 'Send' }).click()
    // A fraction where a whole number is asked: refused in the form, nothing sent.
    expect(await describedError(form.getByRole('textbox', { name: 'Order number' }))).toBe('Please enter a whole number.')
    await form.getByRole('textbox', { name: 'Order number' }).fill('42')
    await form.getByRole('button', { name: 'Send' }).click()
    await form.getByText('Thank you! We will reply by e-mail.').waitFor({ timeout: 15_000 })
    const c = await newest()
    expect(c).toMatchObject({ origin: 'offline', contact: { email: 'ada@example.com' } })
    const [response] = await parley.conversations.responses(c.convId)
    expect(response).toMatchObject({ surveyId: 'away', kind: 'offline', answers: { email: 'ada@example.com', order: 42 } })
    expect(String(response!.answers['message'])).not.toContain('4111')
  })

  it('finds no serious violation on the pre-chat form with errors, in English', async () => {
    const page = await openForm()
    await submit(page).click()
    expect(await seriousViolations(page)).toEqual([])
  })

  it('finds no serious violation on the pre-chat form with errors, in Arabic, laid out right to left', async () => {
    const page = await openForm(await newContext({ locale: 'ar' }), 'افتح المحادثة', 'ابدأ المحادثة')
    expect(await widget(page).getByRole('dialog').evaluate((el) => getComputedStyle(el).direction)).toBe('rtl')
    // A brand's text in a left-to-right language keeps its own direction inside the right-to-left
    // panel, so its punctuation stays at its end ("What is it about?", not "?What is it about"):
    // each survey text is an element that takes its direction from its own text.
    const labels = widget(page).locator('form.sv bdi')
    expect(await labels.count()).toBeGreaterThan(0)
    expect(await labels.evaluateAll((els) => els.map((el) => el.matches(':dir(rtl)')))).not.toContain(false)
    expect(await labels.first().evaluate((el) => { el.textContent = 'What is it about?'; return el.matches(':dir(ltr)') })).toBe(true)
    await widget(page).getByRole('button', { name: 'ابدأ المحادثة' }).click()
    expect(await widget(page).getByText('يرجى ملء هذا الحقل.').count()).toBeGreaterThan(0)
    expect(await seriousViolations(page)).toEqual([])
  })

  it('finds no serious violation on the post-chat survey', async () => {
    const page = await openForm()
    await answerPre(page)
    await sendMessage(page, 'Axe on the post survey')
    await agentCloses()
    await widget(page).getByRole('button', { name: 'Skip' }).waitFor()
    expect(await seriousViolations(page)).toEqual([])
  })
})
