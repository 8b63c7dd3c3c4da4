import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { AgentPresenceList, ConversationAssigned, ConversationJoined, ConversationOffered } from '@parley/sdk/contract'
import { describeWithChromium, launchChromium } from '../helpers/chromium.js'
import { startDemoRelay, type DemoRelay } from '../helpers/demo-relay.js'
import type { LiveClient } from '../helpers/live-client.js'
import { connectDemoAgent } from '../helpers/demo-agent.js'
import { signInToConsole } from '../helpers/console-page.js'
import { sendInWidget, visitorWriting as visitorWritingOn } from '../helpers/widget-page.js'
import { until } from '../helpers/until.js'
import { fetchRest } from '../helpers/rest.js'

// The console's side of routing and noticing, in Chromium against `parley start --demo`: a real
// desktop notification (permission granted in the browser context; the page's Notification wrapped
// by an init script that records each call and calls through), emoji both ways, an offer accepted
// from its card, and a transfer to a skill's queue with a note that reaches whoever takes it.

const FAMILY = '👩‍👩‍👧‍👦'
const THUMB = '👍🏽'

/** Records every desktop notification the page constructs, then constructs the real one. */
function recordNotifications(): void {
  const Real = window.Notification
  const calls: { title: string; body: string; n: Notification }[] = []
  class Recorded extends Real {
    constructor(title: string, options?: NotificationOptions) {
      super(title, options)
      calls.push({ title, body: options?.body ?? '', n: this })
    }
  }
  Object.defineProperty(Recorded, 'permission', { get: () => Real.permission })
  Object.defineProperty(Recorded, 'requestPermission', { value: Real.requestPermission.bind(Real) })
  Object.defineProperty(window, 'Notification', { value: Recorded, configurable: true, writable: true })
  ;(window as unknown as { __notices: typeof calls }).__notices = calls
}

describeWithChromium('routing and noticing in the console in Chromium', () => {
  let demo: DemoRelay
  let browser: Browser
  let consoleContext: BrowserContext
  let con: Page
  const visitors: BrowserContext[] = []
  const clients: LiveClient[] = []

  const api = (method: string, path: string, token: string, body?: unknown) => fetchRest(demo.url, method, path, token, body)

  beforeAll(async () => {
    demo = await startDemoRelay()
    browser = await launchChromium()
    consoleContext = await browser.newContext({ viewport: { width: 1400, height: 900 } })
    await consoleContext.grantPermissions(['notifications'], { origin: demo.url })
    await consoleContext.addInitScript(recordNotifications)
    // Room for every chat this file opens.
    const me = ((await api('GET', '/v1/agents/presence', demo.demo.apiKey)).body as AgentPresenceList).agents[0]!
    await api('PATCH', `/v1/agents/${me.agentId}`, demo.demo.apiKey, { capacity: 10 })
    con = await consoleContext.newPage()
    await signInToConsole(con, demo)
    await con.getByText('Nobody is waiting.').first().waitFor()
  }, 60_000)
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.conn.stop()))
    await Promise.all(visitors.map((c) => c.close()))
    await consoleContext?.close()
    await browser?.close()
    await demo?.close()
  })

  const widget = (p: Page) => p.locator('parley-chat')
  const notices = () => con.evaluate(() => (window as unknown as { __notices: { title: string; body: string }[] }).__notices.map(({ title, body }) => ({ title, body })))

  /** A visitor on the demo site who has written `text`, delivered. */
  const visitorWriting = (text: string) => visitorWritingOn(browser, demo.siteUrl, text, visitors)

  /** A colleague of the demo agent with `skills`, connected as another console would be. */
  async function colleague(name: string, skills: string[]): Promise<{ agentId: string; token: string; client: LiveClient }> {
    const email = `${name.toLowerCase()}@floor.parley.test`
    const created = await api('POST', '/v1/agents', demo.demo.apiKey, { email, name, password: 'correct horse battery' })
    expect(created.status).toBe(201)
    await api('PATCH', `/v1/agents/${created.body.agentId}`, demo.demo.apiKey, { skills })
    const { token, client } = await connectDemoAgent(demo, { email, password: 'correct horse battery' }, clients)
    return { agentId: created.body.agentId, token, client }
  }

  const reply = async (text: string) => {
    await con.getByRole('textbox', { name: 'Reply' }).fill(text)
    await con.getByRole('textbox', { name: 'Reply' }).press('Enter')
  }

  it('fires a desktop notification for a new waiting chat and for a message in a chat not on screen; clicking it opens that chat', async () => {
    const first = await visitorWriting('Hello, is anyone there?')
    await until(async () => (await notices()).some((n) => n.title.startsWith('New chat waiting') && n.body === 'Hello, is anyone there?'), 'waiting chat notified')
    await con.getByRole('button', { name: 'Accept: Hello, is anyone there?' }).click()
    await con.getByRole('textbox', { name: 'Reply' }).waitFor()
    const second = await visitorWriting('Second visitor here')
    await con.getByRole('button', { name: 'Accept: Second visitor here' }).click()
    await until(async () => (await con.locator('.chatview [role=log] .bubble').allInnerTexts()).includes('Second visitor here'), 'second chat on screen')
    const before = (await notices()).length
    // The first chat is not on screen: its visitor's message calls, with the emoji whole.
    await sendInWidget(first, `Still waiting ${THUMB}`)
    await until(async () => (await notices()).slice(before).some((n) => n.title.startsWith('New message from') && n.body === `Still waiting ${THUMB}`), 'message notified')
    // A message in the chat on screen (tab visible) does not.
    const after = (await notices()).length
    await sendInWidget(second, 'On screen already')
    await until(async () => (await con.locator('.chatview [role=log] .bubble').allInnerTexts()).includes('On screen already'), 'shown')
    expect((await notices()).length).toBe(after)
    // Clicking the notification shows the first chat.
    await con.evaluate(() => {
      const list = (window as unknown as { __notices: { title: string; n: Notification }[] }).__notices
      const n = list.filter((x) => x.title.startsWith('New message from')).at(-1)!.n
      n.onclick?.(new Event('click'))
    })
    await until(async () => (await con.locator('.chatview [role=log] .bubble').allInnerTexts()).includes(`Still waiting ${THUMB}`), 'first chat opened by the click')
    await second.close()
  })

  it('carries emoji both ways and renders them whole, with an emoji font in the stack', async () => {
    const visitor = await visitorWriting(`Pizza 🍕 for the ${FAMILY}?`)
    await con.getByRole('button', { name: `Accept: Pizza 🍕 for the ${FAMILY}?` }).click()
    await until(async () => (await con.locator('.chatview [role=log] .bubble').allInnerTexts()).includes(`Pizza 🍕 for the ${FAMILY}?`), 'visitor emoji in the console')
    await reply(`Sure ${THUMB} 🇳🇴`)
    const theirs = widget(visitor).locator('[role=log] li.them .u')
    await until(async () => (await theirs.allInnerTexts()).includes(`Sure ${THUMB} 🇳🇴`), 'agent emoji in the widget')
    const family = await con.locator('.chatview [role=log] .bubble').filter({ hasText: FAMILY }).evaluate((el) => getComputedStyle(el).fontFamily)
    expect(family).toContain('Noto Color Emoji')
    const widgetFont = await theirs.last().evaluate((el) => getComputedStyle(el).fontFamily)
    expect(widgetFont).toContain('Noto Color Emoji')
  })

  it('shows an offered chat with its countdown and accepts it from the card', async () => {
    expect((await api('PUT', '/v1/routing', demo.demo.apiKey, { mode: 'automatic', offerTimeoutSec: 120 })).status).toBe(200)
    const visitor = await visitorWriting('Offer me please 🙏')
    const card = con.locator('.offer')
    await card.waitFor()
    expect(await card.locator('.preview').innerText()).toBe('Offer me please 🙏')
    const secs = Number(await card.locator('.secs').innerText())
    expect(secs).toBeGreaterThan(100)
    // The card's clock ticks once a second, so it may show the second before the offer was made.
    expect(secs).toBeLessThanOrEqual(121)
    await until(async () => (await notices()).some((n) => n.title.startsWith('New chat offered') && n.body === 'Offer me please 🙏'), 'offer notified')
    await card.getByRole('button', { name: 'Accept' }).click()
    await until(async () => (await card.count()) === 0, 'card gone')
    await until(async () => (await con.locator('.chatview [role=log] .bubble').allInnerTexts()).includes('Offer me please 🙏'), 'accepted chat on screen')
    await reply('Taken from the offer')
    await until(async () => (await widget(visitor).locator('[role=log] li.them .u').allInnerTexts()).includes('Taken from the offer'), 'visitor answered')
  })

  it("hands a chat to a skill's queue with a note that reaches the agent who takes it, and shows a colleague's note to me", async () => {
    expect((await api('PUT', '/v1/routing', demo.demo.apiKey, { mode: 'automatic', offerTimeoutSec: 120 })).status).toBe(200)
    const zoe = await colleague('Zoe', ['billing'])
    // Zoe is away: the new chat is offered to the console's agent, and the billing queue waits for her.
    expect((await api('PUT', '/v1/agent/status', zoe.token, { status: 'away' })).status).toBe(200)
    await visitorWriting('I was charged twice')
    const card = con.locator('.offer', { hasText: 'I was charged twice' })
    await card.waitFor()
    await card.getByRole('button', { name: 'Accept' }).click()
    await until(async () => (await con.locator('.chatview [role=log] .bubble').allInnerTexts()).includes('I was charged twice'), 'chat on screen')
    await until(async () => (await con.locator(`.team li`).filter({ hasText: 'Zoe' }).innerText()).includes('Skills: billing'), 'Zoe listed with her skill')

    await con.getByRole('button', { name: 'Transfer…' }).click()
    await con.getByLabel("A skill's queue").check()
    await con.getByRole('combobox', { name: /^Skill/ }).selectOption('billing')
    await con.getByLabel('Note for whoever takes it (optional)').fill('Refund approved 💸, card ending 4242')
    await con.getByRole('button', { name: 'Transfer', exact: true }).click()
    await until(async () => (await con.locator('.queue .preview').allInnerTexts()).includes('I was charged twice'), 'back in the queue')

    // Zoe comes back: the billing chat is offered to her; accepting, she reads the note.
    await api('PUT', '/v1/agent/status', zoe.token, { status: 'available' })
    const offer = await until(() => zoe.client.frames.find((f): f is ConversationOffered => f.type === 'conversation.offered' && f.entry.preview === 'I was charged twice') ?? null, 'offered to Zoe', 15_000)
    const joined = await zoe.client.conn.request<ConversationJoined>({ type: 'conversation.accept', convId: offer.convId })
    expect(joined.notes?.filter((n) => n.transfer).map((n) => n.text)).toEqual(['Refund approved 💸, card ending 4242'])

    // Zoe hands it back to me with a note: my console opens it with her note above the messages.
    const me = ((await api('GET', '/v1/agents/presence', demo.demo.apiKey)).body as AgentPresenceList).agents.find((a) => a.name !== 'Zoe')!
    await zoe.client.conn.request<ConversationAssigned>({ type: 'conversation.transfer', convId: offer.convId, agentId: me.agentId, note: 'Done on our side 👍🏽' })
    await con.locator('.chats').getByRole('button', { name: /charged twice/ }).click()
    const note = con.locator('.transfer-note')
    await until(async () => (await note.count()) === 1 && (await note.innerText()).includes('Done on our side 👍🏽'), 'note shown to me')
    expect(await note.innerText()).toContain('Zoe')
  }, 60_000)

  it('shows the floor: who is available, chats of capacity, skills, missed offers and the routing mode', async () => {
    const zoe = ((await api('GET', '/v1/agents/presence', demo.demo.apiKey)).body as AgentPresenceList).agents.find((a) => a.name === 'Zoe')!
    await con.locator('.side').getByRole('button', { name: 'Floor' }).click()
    const row = (agentId: string) => con.locator(`.floor-agents tr[data-agent="${agentId}"]`)
    await until(async () => (await row(zoe.agentId).count()) === 1, 'Zoe on the floor')
    expect(await row(zoe.agentId).innerText()).toMatch(/Zoe\s+Available\s+0 of 3\s+billing\s+0\s+0/)
    const me = ((await api('GET', '/v1/agents/presence', demo.demo.apiKey)).body as AgentPresenceList).agents.find((a) => a.name !== 'Zoe')!
    await until(async () => (await row(me.agentId).innerText()).includes(`${me.activeChats} of 10`), 'my chats of my capacity')
    expect(await con.locator('[data-figure="missed"]').innerText()).toBe('0')
    expect(await con.locator('.floor-figures').innerText()).toContain('Automatic')
  })
})
