import { afterAll, beforeAll, expect, it } from 'vitest'
import type { BrowserContext, Locator, Page } from 'playwright-core'
import type { SurveysConfig } from '@parley/sdk/contract'
import { Parley } from '@parley/sdk'
import { artifactPath, describeWithChromium } from '../helpers/chromium.js'
import { demoSuite } from '../helpers/demo-suite.js'
import { signInToConsole } from '../helpers/console-page.js'
import { sendInWidget } from '../helpers/widget-page.js'
import { until } from '../helpers/until.js'

// The agent's day as the README shows it, staged through the real front ends of the demo: Maya, who
// gave her name and topic in the pre-chat form and chatted twice before, writes with an emoji and
// sends a photo from the widget; the agent answers, leaves an internal note and types "/" for the
// brand's canned replies, while automatic routing offers them a second visitor's chat for their
// skill. Each of those is checked on screen and uncovered, then the console is saved as
// console-readme.png in the test artifacts (docs/images/console.png is a copy of it, taken with an
// emoji font installed: without one the emoji are boxes, which this test cannot tell).

const SURVEYS: SurveysConfig = {
  surveys: [{
    id: 'intake', kind: 'pre', name: 'Before a chat', title: { en: 'Before we start' }, submitLabel: { en: 'Start chat' },
    fields: [
      { id: 'name', type: 'text', purpose: 'name', required: true, label: { en: 'Your name' } },
      { id: 'topic', type: 'choice', required: true, label: { en: 'What is it about?' }, options: [
        { value: 'orders', label: { en: 'Orders' }, route: { topic: 'orders', skill: 'orders' } },
        { value: 'billing', label: { en: 'Billing' }, route: { topic: 'billing', skill: 'billing', priority: 'high' } },
      ] },
    ],
  }, {
    id: 'after', kind: 'post', name: 'After a chat', title: { en: 'How did we do?' },
    fields: [{ id: 'csat', type: 'csat', required: true, label: { en: 'How satisfied are you with this chat?' } }],
  }],
  pre: 'intake',
  post: 'after',
}
const CANNED = [
  { shortcut: 'hello', title: 'Greeting', text: 'Hi {visitor.name|there}, I am {agent.firstName}. How can I help?' },
  { shortcut: 'refund', title: 'Refund policy', text: 'Hi {visitor.name|there}, refunds reach your card within 5 working days.' },
  { shortcut: 'replace', title: 'Replacement on its way', text: 'A replacement leaves our warehouse today, {visitor.name|}.' },
]
const EARLIER = ['Can I still change the colour?', 'Do you ship to Norway?']
const ASK = 'Hi! My new teapot arrived with a chipped spout 💔'
const ANSWER = 'So sorry, Maya! A new one is on its way 📦'
const NOTE = 'Second chipped spout this week: flag the courier'
const OFFERED = 'Where is my parcel? 🚚'

/**
 * Whether `l` is on screen and nothing covers it: its centre and the middle of each edge hit it (a
 * line scrolled out of the log, or under the canned-reply picker, does not).
 */
function isUncovered(l: Locator): Promise<boolean> {
  return l.evaluate((el) => {
    const r = el.getBoundingClientRect()
    const x = (r.left + r.right) / 2
    const y = (r.top + r.bottom) / 2
    const points = [[x, y], [x, r.top + 3], [x, r.bottom - 3], [r.left + 3, y], [r.right - 3, y]] as const
    return r.width > 0 && points.every(([px, py]) => {
      const hit = document.elementFromPoint(px, py)
      return hit !== null && el.contains(hit)
    })
  }, undefined, { timeout: 5_000 })
}

describeWithChromium('the console the README shows', () => {
  const suite = demoSuite()
  const contexts: BrowserContext[] = []
  afterAll(async () => { await Promise.all(contexts.map((c) => c.close())) })

  let parley: Parley
  const widget = (p: Page) => p.locator('parley-chat')

  async function newPage(viewport = { width: 1000, height: 800 }): Promise<Page> {
    const context = await suite.browser.newContext({ viewport })
    contexts.push(context)
    return context.newPage()
  }

  /** Opens the widget on the demo site. */
  async function openWidget(page: Page): Promise<void> {
    await page.goto(`${suite.demo.siteUrl}/`)
    await widget(page).getByRole('button', { name: /^Open chat/ }).click()
  }

  /** Answers the pre-chat form: the topic every time, the name when the form still asks it. */
  async function answerPreChat(page: Page, name: string, topic: 'Orders' | 'Billing'): Promise<void> {
    const radio = widget(page).getByRole('radio', { name: topic })
    await radio.waitFor()
    const nameBox = widget(page).getByLabel('Your name')
    if ((await nameBox.count()) === 1) await nameBox.fill(name)
    await radio.check()
    await widget(page).getByRole('button', { name: 'Start chat' }).click()
    await widget(page).getByRole('textbox', { name: 'Message' }).waitFor()
  }

  /** The photo of the broken teapot the visitor sends, drawn by Chromium. */
  async function teapotPhoto(): Promise<Buffer> {
    const page = await newPage({ width: 600, height: 240 })
    await page.setContent('<body style="margin:0"><div style="width:600px;height:240px;display:grid;place-items:center;font-size:170px;background:linear-gradient(160deg,#fbe9c8,#c8a27a)">🫖</div></body>')
    return page.locator('div').screenshot({ type: 'png' })
  }

  beforeAll(async () => {
    parley = new Parley({ relay: suite.demo.url, apiKey: suite.demo.demo.apiKey })
    await parley.surveys.set(SURVEYS)
    for (const c of CANNED) await parley.cannedReplies.create({ scope: 'brand', ...c })
    const dana = (await parley.agents.presence()).agents[0]!
    await parley.agents.update(dana.agentId, { skills: ['orders'], capacity: 5 })
  }, 30_000)

  it('shows a named chat with emoji, a reply, a note, a photo, the canned replies, earlier chats and an offer', async () => {
    // Maya's two earlier chats, each ended by her in the widget; the form remembers her name.
    const maya = await newPage()
    await openWidget(maya)
    await answerPreChat(maya, 'Maya Lind', 'Orders')
    for (const text of EARLIER) {
      await sendInWidget(maya, text)
      await widget(maya).getByRole('button', { name: 'End chat' }).click()
      await widget(maya).getByRole('button', { name: 'Yes' }).click()
      await widget(maya).getByRole('button', { name: 'Start a new chat' }).click()
      await answerPreChat(maya, 'Maya Lind', 'Orders')
    }
    // Today's chat: a message with an emoji, taken from the queue, then a photo.
    await sendInWidget(maya, ASK)
    // Tall enough for the side column's last earlier chat: the visitor's random id and the page's
    // address (its port) wrap onto two or three lines or not, which moved it off a 940 px screen.
    const con = await newPage({ width: 1280, height: 1000 })
    await signInToConsole(con, suite.demo)
    await con.getByRole('button', { name: `Accept: ${ASK}` }).click()
    const lines = con.locator('.chatview [role=log] ol.lines')
    await until(async () => (await lines.locator('li.them .bubble').allInnerTexts()).includes(ASK), 'the chat on screen', 15_000)
    await widget(maya).locator('input[type=file]').setInputFiles({ name: 'teapot.png', mimeType: 'image/png', buffer: await teapotPhoto() })
    const photo = lines.locator('li.them .at-i img')
    await until(() => photo.evaluateAll((imgs) => imgs.some((i) => (i as HTMLImageElement).naturalWidth > 0)), 'the photo as a thumbnail', 30_000)

    // The agent's answer reaches the widget; the note stays in the console.
    const reply = con.getByRole('textbox', { name: 'Reply' })
    await reply.fill(ANSWER)
    await reply.press('Enter')
    await until(async () => (await widget(maya).locator('[role=log] li.them .u').allInnerTexts()).includes(ANSWER), 'the answer in the widget', 15_000)
    await con.getByRole('radio', { name: 'Note' }).click()
    const noteBox = con.getByRole('textbox', { name: 'Internal note' })
    await noteBox.fill(NOTE)
    await noteBox.press('Enter')
    const note = lines.locator('li.internal-note').filter({ hasText: NOTE })
    await until(async () => (await note.count()) === 1 && (await note.locator('.muted').count()) === 0, 'the note stored', 15_000)
    await con.getByRole('radio', { name: 'Reply' }).click()

    // A second visitor writes while routing is manual; once it turns automatic, the chat is offered
    // to the agent, who has the orders skill and room for it.
    const other = await newPage()
    await openWidget(other)
    await answerPreChat(other, 'Jonas Berg', 'Orders')
    await sendInWidget(other, OFFERED)
    await parley.routing.set({ mode: 'automatic', offerTimeoutSec: 300 })
    const offer = con.locator('.offer').filter({ hasText: OFFERED })
    await until(async () => (await offer.count()) === 1, 'the offer', 15_000)

    const earlier = con.getByRole('region', { name: 'Earlier conversations' }).locator('ul.results > li')
    await until(async () => (await earlier.count()) === EARLIER.length, 'the earlier conversations listed', 15_000)

    // The canned replies, every one for a bare "/".
    await reply.click()
    await reply.pressSequentially('/')
    const options = con.getByRole('listbox', { name: 'Canned replies' }).getByRole('option')
    await until(async () => (await options.count()) === CANNED.length, 'every canned reply offered')

    // What the picture shows, each on screen and uncovered (saved first, to look at when one is not).
    await con.screenshot({ path: artifactPath('console-readme.png') })
    const shown = async (what: string, l: Locator) => expect(await isUncovered(l), `${what} on screen, uncovered`).toBe(true)
    await shown('the name from the pre-chat form', con.locator('.chatview header h2', { hasText: 'Maya Lind' }))
    await shown('the topic badge', con.locator('.context .survey-answers .rb', { hasText: 'Topic: orders' }))
    await shown('the emoji message', lines.locator('li.them .bubble', { hasText: ASK }))
    await shown('the photo', photo)
    await shown('the reply', lines.locator('li.me .bubble', { hasText: ANSWER }))
    await shown('the note', note)
    expect(await note.locator('.bubble').evaluate((el) => getComputedStyle(el).backgroundColor), 'the note in yellow').toBe('rgb(255, 244, 194)')
    for (const c of CANNED) await shown(`/${c.shortcut} in the picker`, options.filter({ hasText: `/${c.shortcut}` }))
    for (const text of EARLIER) await shown(`earlier: ${text}`, earlier.filter({ hasText: text }))
    await shown('the offer', offer)
  }, 60_000)
})
