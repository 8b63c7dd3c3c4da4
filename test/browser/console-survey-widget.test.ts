import { afterAll, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import type { SurveysConfig } from '@parley/sdk/contract'
import { describeWithChromium } from '../helpers/chromium.js'
import { demoSuite } from '../helpers/demo-suite.js'
import { signInToConsole } from '../helpers/console-page.js'
import { until } from '../helpers/until.js'

// Surveys between the two real front ends: a visitor answers the pre-chat form in the widget on the
// demo site, the agent reads the answers in the console, sends the post-chat survey, and the
// visitor's widget asks it; the visitor's answer comes back beside the chat.

const SURVEYS: SurveysConfig = {
  surveys: [
    {
      id: 'pre', kind: 'pre', name: 'Before we start',
      fields: [
        { id: 'topic', type: 'choice', label: 'What is it about?', required: true, options: [
          { value: 'billing', label: 'A bill or a payment', route: { topic: 'billing', priority: 'urgent' } },
          { value: 'other', label: 'Something else' },
        ] },
      ],
    },
    { id: 'after', kind: 'post', name: 'How did we do', fields: [{ id: 'score', type: 'csat', label: 'How satisfied are you?', required: true }] },
  ],
  pre: 'pre',
  post: 'after',
}

describeWithChromium('surveys from the widget to the console in Chromium', () => {
  const suite = demoSuite()
  const contexts: BrowserContext[] = []

  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()))
  })

  async function newPage(): Promise<Page> {
    const context = await suite.browser.newContext({ viewport: { width: 1400, height: 900 } })
    contexts.push(context)
    return context.newPage()
  }

  const widget = (p: Page) => p.locator('parley-chat')

  it('carries the pre-chat answers to the console and the agent\'s survey to the visitor\'s widget and back', async () => {
    const res = await fetch(`${suite.demo.url}/v1/surveys`, {
      method: 'PUT', headers: { authorization: `Bearer ${suite.demo.demo.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(SURVEYS),
    })
    expect(res.status).toBe(200)

    const visitor = await newPage()
    await visitor.goto(`${suite.demo.siteUrl}/`)
    await widget(visitor).getByRole('button', { name: 'Open chat' }).click()
    await widget(visitor).getByRole('radio', { name: 'A bill or a payment' }).check()
    await widget(visitor).getByRole('button', { name: 'Start chat' }).click()
    const box = widget(visitor).getByRole('textbox', { name: 'Message' })
    await box.fill('I was charged twice')
    await box.press('Enter')
    await until(async () => (await widget(visitor).locator('li.me').filter({ hasText: 'I was charged twice' }).locator('.s').allInnerTexts()).includes('Sent'), 'sent', 15_000)

    const con = await newPage()
    await signInToConsole(con, suite.demo)
    const card = con.locator('ul.queue > li').filter({ hasText: 'I was charged twice' })
    await until(async () => (await card.count()) === 1, 'the chat in the queue', 15_000)
    expect(await card.locator('.routing').innerText()).toMatch(/Priority: urgent[\s\S]*Topic: billing/)
    await card.getByRole('button', { name: /^Accept/ }).click()
    const pre = con.locator('.context section.answers[aria-label="Pre-chat survey"]')
    await until(async () => (await pre.count()) === 1 && (await pre.locator('dd').innerText()) === 'A bill or a payment', 'the pre-chat answer beside the chat')

    await con.getByRole('button', { name: 'Send survey' }).click()
    await until(async () => (await con.locator('.send-survey [role=status]').innerText()) === 'Survey sent', '"Survey sent"')
    const satisfied = widget(visitor).getByRole('radio', { name: '4 Satisfied' })
    await until(async () => (await satisfied.count()) === 1, 'the survey in the visitor\'s widget', 15_000)
    await satisfied.check()
    // The survey's own Send, not the composer's below it.
    await widget(visitor).locator('form.sv').getByRole('button', { name: 'Send' }).click()

    const post = con.locator('.context section.answers[aria-label="Post-chat survey"]')
    await until(async () => (await post.count()) === 1, 'the post-chat answer beside the chat', 15_000)
    expect(await post.locator('dt').innerText()).toBe('How satisfied are you?')
    expect(await post.locator('dd').innerText()).toBe('4 on a scale of 1–5')
  })
})
