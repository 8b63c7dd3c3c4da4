import { afterAll, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import type { Answers, SurveysConfig } from '@parley/sdk/contract'
import { describeWithChromium } from '../helpers/chromium.js'
import { demoSuite } from '../helpers/demo-suite.js'
import { signInToConsole } from '../helpers/console-page.js'
import { seriousViolations } from '../helpers/axe.js'
import { TestClient } from '../helpers/ws-client.js'
import { until } from '../helpers/until.js'

// Surveys from the agent's seat: the queue shows each waiting chat's topic and priority in words,
// highest priority first; the pre-chat answers show beside the chat as they were asked; "Send
// survey" reaches the visitor (a raw socket here) and their answer comes back to the console.

const CONSENT = 'I agree that Parley may e-mail me about this request.'

const SURVEYS: SurveysConfig = {
  surveys: [
    {
      id: 'pre', kind: 'pre', name: 'Before we start', defaultLanguage: 'en',
      fields: [
        { id: 'topic', type: 'choice', label: 'What is it about?', required: true, options: [
          { value: 'billing', label: 'A bill or a payment', route: { topic: 'billing', skill: 'payments', priority: 'high' } },
          { value: 'other', label: 'Something else', route: { topic: 'general' } },
        ] },
        { id: 'name', type: 'text', label: 'Your name', purpose: 'name' },
        { id: 'ok', type: 'consent', label: CONSENT },
      ],
    },
    { id: 'after', kind: 'post', name: 'How did we do', fields: [{ id: 'score', type: 'csat', label: 'How satisfied are you?' }] },
    {
      id: 'away', kind: 'offline', name: 'Leave us a message',
      fields: [
        { id: 'who', type: 'text', label: 'Name', purpose: 'name' },
        { id: 'mail', type: 'email', label: 'E-mail address', purpose: 'email', required: true },
        { id: 'area', type: 'choice', label: 'Department', options: [{ value: 'sales', label: 'Sales team' }, { value: 'support', label: 'Support team' }] },
        { id: 'body', type: 'longtext', label: 'Your message', purpose: 'message', required: true },
      ],
    },
  ],
  pre: 'pre',
  post: 'after',
  offline: 'away',
}

describeWithChromium('surveys in the agent console in Chromium', () => {
  const suite = demoSuite()
  const contexts: BrowserContext[] = []
  const visitors: TestClient[] = []
  /** The visitor who asked about billing, and their conversation. */
  let billing: { client: TestClient; convId: string }
  let page: Page

  afterAll(async () => {
    for (const v of visitors) v.close()
    await Promise.all(contexts.map((c) => c.close()))
  })

  /** Saves the brand's surveys with its API key; answers the document with its versions. */
  async function saveSurveys(doc: SurveysConfig): Promise<SurveysConfig> {
    const res = await fetch(`${suite.demo.url}/v1/surveys`, {
      method: 'PUT', headers: { authorization: `Bearer ${suite.demo.demo.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(doc),
    })
    expect(res.status).toBe(200)
    return (await res.json()) as SurveysConfig
  }

  /** A visitor (a raw socket) who opened a conversation with these pre-chat answers and wrote `text`. */
  async function visitorOpening(answers: Answers, text: string): Promise<{ client: TestClient; convId: string }> {
    const opened = await visitorAnswering(answers)
    await write(opened, text)
    return opened
  }

  /** A visitor (a raw socket) who opened a conversation with these pre-chat answers and wrote nothing yet. */
  async function visitorAnswering(answers: Answers): Promise<{ client: TestClient; convId: string }> {
    const { client } = await TestClient.visitor(`${suite.demo.url.replace('http', 'ws')}/v1/live`, suite.demo.demo.siteKey)
    visitors.push(client)
    const convId = `conv-${Math.random().toString(36).slice(2)}`
    const version = surveysSaved.surveys.find((s) => s.id === 'pre')!.version!
    client.send({ type: 'conversation.open', convId, clientMsgId: `open-${convId}`, survey: { surveyId: 'pre', version, answers, language: 'en' } })
    await client.next('conversation.started', (f) => f.convId === convId)
    return { client, convId }
  }

  async function write({ client, convId }: { client: TestClient; convId: string }, text: string): Promise<void> {
    const clientMsgId = `m-${Math.random().toString(36).slice(2)}`
    client.send({ type: 'message.send', convId, clientMsgId, text })
    await client.next('message.ack', (f) => f.clientMsgId === clientMsgId)
  }

  let surveysSaved: SurveysConfig
  const queueCards = () => page.locator('ul.queue > li')

  it('lists waiting conversations highest priority first, with topic, skill and priority in words', async () => {
    surveysSaved = await saveSurveys(SURVEYS)
    await visitorOpening({ topic: 'other', name: 'Gil' }, 'First in line')
    billing = await visitorOpening({ topic: 'billing', name: '<b>Ana</b>', ok: true }, 'My card was charged twice')
    // axe is injected as an inline script, which the console's CSP would refuse.
    const context = await suite.browser.newContext({ viewport: { width: 1400, height: 900 }, bypassCSP: true })
    contexts.push(context)
    page = await context.newPage()
    await signInToConsole(page, suite.demo)
    await until(async () => (await queueCards().count()) === 2, 'two waiting')
    // A third arrives while the console is open: the frame puts it where a listing would (it was
    // opened before its first message, so the frame has no preview yet).
    await visitorOpening({ topic: 'other' }, 'Last in line')
    await until(async () => (await queueCards().count()) === 3, 'three waiting')
    const cards = await queueCards().allInnerTexts()
    expect(cards[0]).toContain('My card was charged twice')
    expect(cards[0]).toContain('Priority: high')
    expect(cards[0]).toContain('Topic: billing')
    expect(cards[0]).toContain('Skill: payments')
    expect(cards[1]).toContain('First in line')
    expect(cards[1]).toContain('Topic: general')
    expect(cards[1]).not.toContain('Priority:')
    expect(cards[2]).toContain('Topic: general')
    expect(cards[2]).not.toContain('Priority:')
  })

  it('shows the name the pre-chat answers gave on the queue card, as text', async () => {
    const cards = queueCards()
    expect(await cards.nth(0).locator('.who').innerText()).toBe('<b>Ana</b>')
    expect(await cards.nth(1).locator('.who').innerText()).toBe('Gil')
    // No name given: no name shown.
    expect(await cards.nth(2).locator('.who').count()).toBe(0)
  })

  it('shows a chat the pre-chat form opened by its topic until its first message, then that message', async () => {
    const waiting = await visitorAnswering({ topic: 'billing' })
    await until(async () => (await queueCards().count()) === 4, 'four waiting')
    expect(await queueCards().filter({ hasText: 'Pre-chat form answered: billing' }).count()).toBe(1)
    expect(await page.locator('ul.queue').innerText()).not.toContain('(no text)')
    await write(waiting, 'Where is my refund?')
    await until(async () => (await queueCards().filter({ hasText: 'Where is my refund?' }).count()) === 1, 'the card showing the first message')
    expect(await queueCards().filter({ hasText: 'Pre-chat form answered' }).count()).toBe(0)
    expect(await page.getByRole('button', { name: 'Accept: Where is my refund?' }).count()).toBe(1)
    waiting.client.send({ type: 'conversation.close', convId: waiting.convId })
    await until(async () => (await queueCards().count()) === 3, 'three waiting again')
  })

  it('shows the pre-chat answers beside the chat as asked, with the option label and the consent text', async () => {
    await page.getByRole('button', { name: 'Accept: My card was charged twice' }).click()
    const answers = page.locator('.context .survey-answers')
    await until(async () => (await answers.locator('dd').count()) === 3 && (await answers.locator('dd').first().innerText()) === 'A bill or a payment', 'three answers shown, the choice by its label')
    const text = await answers.innerText()
    expect(text).toContain('Pre-chat')
    expect(text).toContain('Before we start')
    expect(await answers.locator('dt').allInnerTexts()).toEqual(['What is it about?', 'Your name', 'Consent'])
    expect(await answers.locator('dd').first().innerText()).toBe('A bill or a payment')
    // A visitor's markup is text: shown as typed, never made into elements.
    expect(await answers.locator('dd').nth(1).innerText()).toBe('<b>Ana</b>')
    expect(await answers.locator('dd b').count()).toBe(0)
    expect(await answers.locator('dd').nth(2).innerText()).toMatch(/^Agreed\n/)
    expect(await answers.locator('dd q.consent').innerText()).toBe(CONSENT)
    expect(await answers.locator('.routing').innerText()).toMatch(/Priority: high[\s\S]*Topic: billing[\s\S]*Skill: payments/)
  })

  it('shows the name the pre-chat answers gave in the chat header and the list of my chats', async () => {
    const chat = page.getByRole('region', { name: 'Chat with <b>Ana</b>' })
    expect(await chat.getByRole('heading', { level: 2 }).innerText()).toBe('<b>Ana</b>')
    expect(await page.locator('ul.chats .who').first().innerText()).toBe('<b>Ana</b>')
  })

  it('sends the post-chat survey to the visitor and shows their answer when it arrives', async () => {
    const { client: visitor, convId } = billing
    await page.getByRole('button', { name: 'Send survey' }).click()
    const requested = await visitor.next('survey.requested', (f) => f.convId === convId)
    expect(requested.surveyId).toBe('after')
    await until(async () => (await page.locator('.send-survey [role=status]').innerText()) === 'Survey sent', '"Survey sent"')

    const version = surveysSaved.surveys.find((s) => s.id === 'after')!.version!
    visitor.send({ type: 'survey.answer', convId, clientMsgId: `post-${convId}`, survey: { surveyId: 'after', version, answers: { score: 4 } } })
    await visitor.next('survey.answered', (f) => f.convId === convId)
    const post = page.locator('.context section.answers[aria-label="Post-chat survey"]')
    await until(async () => (await post.count()) === 1, 'the post-chat answer beside the chat')
    expect(await post.locator('dt').allInnerTexts()).toEqual(['How satisfied are you?'])
    expect(await post.locator('dd').innerText()).toBe('4 on a scale of 1–5')
    await until(async () => (await page.locator('.send-survey [role=status]').innerText()) === 'Survey answered', '"Survey answered"')
    // Answered: sending it again would only be refused, so the button says why it is off.
    const button = page.getByRole('button', { name: 'Send survey' })
    expect(await button.isDisabled()).toBe(true)
    expect(await page.locator(`#${await button.getAttribute('aria-describedby')}`).innerText()).toBe('The visitor has answered the post-chat survey.')
  })

  it('passes axe with the routing badges, the answers and Send survey on screen', async () => {
    expect(await seriousViolations(page)).toEqual([])
  })

  it('shows a transcript\'s survey answers with it', async () => {
    await page.getByRole('button', { name: 'Close chat' }).click()
    await until(async () => (await page.locator('.chatview').innerText()).includes('This conversation has ended.'), 'closed')
    await page.getByRole('button', { name: 'Transcripts' }).click()
    await page.getByLabel('Words').fill('charged twice')
    await page.getByRole('button', { name: 'Search' }).click()
    await page.locator('ul.results button').first().click()
    const transcript = page.getByRole('article', { name: 'Transcript' })
    // The answers come first by value; the versions they answered follow and bring the labels.
    const text = await until(async () => {
      const t = await transcript.innerText()
      return t.includes('A bill or a payment') && t.includes('4 on a scale of 1–5') ? t : null
    }, 'both surveys in the transcript, by their labels')
    expect(await transcript.locator('section.answers').count()).toBe(2)
    expect(text).toContain('Priority: high')
  })

  it('shows the offline survey\'s answers with the offline message like any other survey', async () => {
    const version = surveysSaved.surveys.find((s) => s.id === 'away')!.version!
    const res = await fetch(`${suite.demo.url}/v1/sites/${suite.demo.demo.siteKey}/offline-messages`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ clientMsgId: 'offline-1', survey: { surveyId: 'away', version, answers: { who: 'Kim', mail: 'kim@example.com', area: 'sales', body: 'Please call me back about a quote' } } }),
    })
    expect(res.status).toBe(201)
    await page.getByRole('button', { name: 'Accept: Please call me back about a quote' }).click()
    const offline = page.locator('.context section.answers[aria-label="Offline form survey"]')
    await until(async () => (await offline.locator('dd').count()) === 4 && (await offline.innerText()).includes('Sales team'), 'the offline answers beside the chat')
    expect(await offline.locator('dt').allInnerTexts()).toEqual(['Name', 'E-mail address', 'Department', 'Your message'])
    // The address the visitor gave is kept for the reply.
    expect(await offline.locator('dd').nth(1).innerText()).toBe('kim@example.com')
    expect(await offline.locator('h3').innerText()).toMatch(/Offline form\s+Leave us a message/)
  })

  it('turns Send survey off, saying why, when the brand has no post-chat survey', async () => {
    surveysSaved = await saveSurveys({ surveys: SURVEYS.surveys.filter((s) => s.kind !== 'post'), pre: 'pre' })
    await page.reload()
    await until(async () => (await queueCards().count()) === 2, 'the two still waiting')
    await page.getByRole('button', { name: 'Accept: First in line' }).click()
    const button = page.getByRole('button', { name: 'Send survey' })
    await until(async () => (await button.count()) === 1 && await button.isDisabled(), 'Send survey off')
    expect(await page.locator(`#${await button.getAttribute('aria-describedby')}`).innerText()).toBe('No post-chat survey is set up for this brand.')
  })
})
