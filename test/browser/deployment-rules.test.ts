import { afterAll, expect, it } from 'vitest'
import type { BrowserContext, BrowserContextOptions, Page } from 'playwright-core'
import type { Conversation, MessagePage, Rule, RuleCounts, RuleStats } from '@parley/sdk/contract'
import { seriousViolations } from '../helpers/axe.js'
import { describeWithChromium } from '../helpers/chromium.js'
import { demoSuite } from '../helpers/demo-suite.js'
import { until } from '../helpers/until.js'
import { callParley, sendInWidget } from '../helpers/widget-page.js'
import { PAGE_VISIBILITY_SCRIPT, setPageHidden } from '../helpers/page-visibility.js'

// Deployment rules in the widget (issue 14), on the demo brand's page against a real relay: each
// action (the chat button, nothing, an invitation after its delay, an offer banner with a code, the
// offline message form), a single-page app's navigation switching between them, Parley('why'), and
// the counts the widget sends. Rules are saved through the brand's REST API, as the SDK saves them;
// each test names its own rules, so the counts of one never mix with another's.

/** Marks the widget's `ready` and keeps what Parley('why') prints. */
const OBSERVE = `(() => {
  window.__why = []
  const info = console.info
  console.info = (...a) => { window.__why.push(String(a[0])); info.apply(console, a) }
  window.Parley = function () { (window.Parley.q = window.Parley.q || []).push(arguments) }
  Parley('on', 'ready', () => { window.__ready = true })
})()`

const CARD = '4111 1111 1111 1111'

describeWithChromium('deployment rules in the widget', () => {
  // The tests poll the brand's REST API for counts and conversations: more than its default rate.
  const suite = demoSuite({ args: ['--rest-requests-per-minute', '100000'] })
  const contexts: BrowserContext[] = []
  afterAll(async () => {
    for (const c of contexts) await c.close()
  })

  const widget = (p: Page) => p.locator('parley-chat')
  const launcher = (p: Page) => widget(p).locator('button.l')
  const auth = () => ({ authorization: `Bearer ${suite.demo.demo.apiKey}` })

  async function setRules(rules: Rule[]): Promise<void> {
    const res = await fetch(`${suite.demo.url}/v1/rules`, { method: 'PUT', headers: { ...auth(), 'content-type': 'application/json' }, body: JSON.stringify({ rules }) })
    expect(res.status, await res.text()).toBe(200)
  }

  async function newContext(opts: BrowserContextOptions = {}): Promise<BrowserContext> {
    const ctx = await suite.browser.newContext(opts)
    contexts.push(ctx)
    return ctx
  }

  /** Opens `path` of the demo site in `ctx` and waits for the widget's `ready`. */
  async function visit(ctx: BrowserContext, path = '/', init?: string): Promise<Page> {
    const page = await ctx.newPage()
    await page.addInitScript(OBSERVE)
    if (init) await page.addInitScript(init)
    await page.goto(`${suite.demo.siteUrl}${path}`)
    await until(() => page.evaluate(() => (window as unknown as { __ready?: boolean }).__ready === true), 'widget ready', 15_000)
    return page
  }

  /** What Parley('why') prints now. */
  async function why(p: Page): Promise<string> {
    await callParley(p, 'why')
    return p.evaluate(() => (window as unknown as { __why: string[] }).__why.at(-1) ?? '')
  }

  /** The counts of `ruleId`'s arm, as the brand reads them. */
  async function counts(ruleId: string, arm = 'treatment'): Promise<RuleCounts | null> {
    const res = await fetch(`${suite.demo.url}/v1/rules/stats?days=1`, { headers: auth() })
    const stats = (await res.json()) as RuleStats
    return stats.rules.find((r) => r.ruleId === ruleId)?.arms.find((a) => a.arm === arm)?.totals ?? null
  }

  const countsReach = (ruleId: string, want: Partial<RuleCounts>) => until(async () => {
    const c = await counts(ruleId)
    return c !== null && Object.entries(want).every(([k, v]) => c[k as keyof RuleCounts] >= v)
  }, `${ruleId} counted ${JSON.stringify(want)}`, 15_000)

  /** The brand's conversations, newest first. */
  async function conversations(): Promise<Conversation[]> {
    const res = await fetch(`${suite.demo.url}/v1/conversations?limit=200`, { headers: auth() })
    return ((await res.json()) as { conversations: Conversation[] }).conversations
  }

  async function texts(convId: string): Promise<string[]> {
    const res = await fetch(`${suite.demo.url}/v1/conversations/${convId}/messages`, { headers: auth() })
    return ((await res.json()) as MessagePage).messages.map((m) => m.text)
  }

  /** The conversation a visitor started through `ruleId` (the context says so), with its messages. */
  const conversationFrom = (ruleId: string) => until(async () => {
    const c = (await conversations()).find((x) => x.context?.ruleId === ruleId)
    return c ? { ...c, texts: await texts(c.convId) } : null
  }, `conversation through ${ruleId}`, 15_000)

  it('shows the chat button a rule decides, and counts its impression, its click and the chat it started', async () => {
    await setRules([{ id: 'everyone-button', action: { type: 'button' } }])
    const page = await visit(await newContext())
    await launcher(page).click()
    await sendInWidget(page, 'came through the button rule')
    expect((await conversationFrom('everyone-button')).texts).toEqual(['came through the button rule'])
    await countsReach('everyone-button', { impressions: 1, clicks: 1, chats: 1 })
  })

  it('hides everything on pages a rule says, but keeps the chat button for a visitor whose chat is under way', async () => {
    await setRules([{ id: 'quiet-pricing', when: { fact: 'path', op: 'prefix', value: '/pricing' }, action: { type: 'hide' } }])
    const fresh = await visit(await newContext(), '/pricing.html')
    expect(await launcher(fresh).count()).toBe(0)
    expect(await widget(fresh).locator('section').count()).toBe(0)

    const ctx = await newContext()
    const chatting = await visit(ctx, '/')
    await launcher(chatting).click()
    await sendInWidget(chatting, 'a chat under way')
    const next = await visit(ctx, '/pricing.html')
    await launcher(next).waitFor()
    expect(await why(next)).toContain('Parley shows: hide (rule "quiet-pricing")')
  })

  it('invites after its delay; accepting opens the chat with the invitation as the brand\'s first bubble and tells the agent where it came from', async () => {
    const message = 'Looking for a tea? Ask us anything.'
    await setRules([{ id: 'invite-tea', action: { type: 'invite', message, delaySec: 1, agentName: 'Dana' } }])
    const page = await visit(await newContext({ bypassCSP: true }))
    const bubble = widget(page).getByRole('region', { name: 'Invitation' })
    await bubble.waitFor()
    expect(await bubble.innerText()).toContain(message)
    expect(await seriousViolations(page)).toEqual([])
    await bubble.getByRole('button', { name: 'Chat' }).click()
    await widget(page).getByRole('dialog').waitFor()
    expect(await widget(page).locator('[role=log] li.them .u').allInnerTexts()).toEqual([message])
    expect(await bubble.count()).toBe(0)
    await sendInWidget(page, 'answering the invitation')
    expect((await conversationFrom('invite-tea')).texts).toEqual(['answering the invitation'])
    await countsReach('invite-tea', { impressions: 1, clicks: 1, chats: 1 })
  })

  it('shows an offer with its code and link; dismissing it starts its cap, which holds across a reload', async () => {
    await setRules([{
      id: 'offer-tea', cap: { days: 7 },
      action: { type: 'offer', text: '10% off your first order', code: 'TEA10', link: { url: 'https://shop.example/offer', label: 'See the offer' }, expiresAt: '2099-01-01T00:00:00Z' },
    }])
    const ctx = await newContext({ bypassCSP: true, permissions: ['clipboard-read', 'clipboard-write'] })
    const page = await visit(ctx)
    const offer = widget(page).getByRole('region', { name: 'Offer' })
    await offer.waitFor()
    expect(await offer.innerText()).toContain('10% off your first order')
    expect(await offer.locator('code').innerText()).toBe('TEA10')
    // Announced politely as it appears.
    expect(await widget(page).locator('[aria-live=polite]').filter({ hasText: '10% off your first order' }).count()).toBe(1)
    const link = offer.getByRole('link', { name: 'See the offer' })
    expect(await link.getAttribute('href')).toBe('https://shop.example/offer')
    expect(await link.getAttribute('rel')).toBe('noopener')
    expect(await link.getAttribute('target')).toBe('_blank')
    expect(await seriousViolations(page)).toEqual([])

    await offer.getByRole('button', { name: 'Copy code' }).click()
    await offer.getByRole('status').filter({ hasText: 'Copied' }).waitFor()
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('TEA10')
    // Escape dismisses, and focus goes back to the launcher.
    await offer.getByRole('button', { name: 'No thanks' }).focus()
    await page.keyboard.press('Escape')
    expect(await offer.count()).toBe(0)
    expect(await launcher(page).evaluate((el) => (el.getRootNode() as ShadowRoot).activeElement === el)).toBe(true)
    await countsReach('offer-tea', { impressions: 1, clicks: 1, dismissals: 1 })

    const again = await visit(ctx)
    await launcher(again).waitFor()
    expect(await widget(again).getByRole('region', { name: 'Offer' }).count()).toBe(0)
    expect(await why(again)).toMatch(/offer-tea: capped: dismissed; capped until \d{4}-/)
  })

  it('opens the offline form when no agent is free: checks it, masks the message, and the relay keeps it once as an offline conversation', async () => {
    await setRules([{ id: 'nobody-free', when: { fact: 'agentsAvailable', op: 'eq', value: 0 }, action: { type: 'offline-form' } }])
    const page = await visit(await newContext({ bypassCSP: true }))
    // The availability poll answers (no agent is signed in to this suite): the rule decides.
    await until(async () => (await why(page)).startsWith('Parley shows: offline-form'), 'offline form decided', 15_000)
    await launcher(page).click()
    const form = widget(page).getByRole('dialog', { name: 'Leave us a message' })
    await form.waitFor()

    await form.getByRole('button', { name: 'Send' }).click()
    expect(await form.locator('.ff .fe').allInnerTexts()).toEqual(['Please fill this in.', 'Please fill this in.', 'Please fill this in.'])
    expect(await form.getByLabel('Name').evaluate((el) => (el.getRootNode() as ShadowRoot).activeElement === el)).toBe(true)
    expect(await form.getByLabel('Name').getAttribute('aria-invalid')).toBe('true')
    await form.getByLabel('Name').fill('Ada')
    await form.getByLabel('E-mail').fill('ada@example')
    await form.getByLabel('Message').fill(`My card ${CARD} was charged twice`)
    await form.getByRole('button', { name: 'Send' }).click()
    expect(await form.locator('.ff .fe').allInnerTexts()).toEqual(['Please enter an e-mail address like name@example.com.'])
    expect(await seriousViolations(page)).toEqual([])
    await form.getByLabel('E-mail').fill('ada@example.com')

    // The first answer is lost on the way back: the visitor sends again, with the same id.
    const bodies: string[] = []
    let lose = true
    await page.route('**/offline-messages', async (route) => {
      bodies.push(route.request().postData() ?? '')
      const res = await route.fetch()
      if (lose) {
        lose = false
        return route.fulfill({ status: 503, body: '{}' })
      }
      return route.fulfill({ response: res })
    })
    await form.getByRole('button', { name: 'Send' }).click()
    await form.getByText('Your message could not be sent. Please try again.').waitFor()
    await form.getByRole('button', { name: 'Send' }).click()
    await form.getByRole('status').filter({ hasText: 'Thank you! We will reply by e-mail.' }).waitFor()
    expect(await form.getByRole('button', { name: 'Close' }).evaluate((el) => (el.getRootNode() as ShadowRoot).activeElement === el)).toBe(true)

    expect(bodies).toHaveLength(2)
    const [first, second] = bodies.map((b) => JSON.parse(b) as { clientMsgId: string; message: string; ruleId?: string })
    expect(second!.clientMsgId).toBe(first!.clientMsgId)
    expect(first!.ruleId).toBe('nobody-free')
    expect(bodies.join('')).not.toMatch(/4111\D{0,3}1111/)
    const offline = (await conversations()).filter((c) => c.origin === 'offline' && c.contact?.email === 'ada@example.com')
    expect(offline).toHaveLength(1)
    expect(offline[0]!.contact).toEqual({ name: 'Ada', email: 'ada@example.com' })
    expect(await texts(offline[0]!.convId)).toEqual(['My card [card] was charged twice'])
    await countsReach('nobody-free', { impressions: 1, chats: 1 })
  })

  it('shows the offer and the offline form right to left in Arabic on a 360 px phone, without serious violations', async () => {
    await setRules([
      { id: 'ar-form', when: { all: [{ fact: 'value', name: 'help', op: 'is', value: 'yes' }, { fact: 'agentsAvailable', op: 'eq', value: 0 }] }, action: { type: 'offline-form' } },
      { id: 'ar-offer', action: { type: 'offer', text: 'خصم ١٠٪ على طلبك الأول', code: 'TEA10' } },
    ])
    const page = await visit(await newContext({ bypassCSP: true, locale: 'ar', viewport: { width: 360, height: 740 } }))
    const offer = widget(page).getByRole('region', { name: 'عرض' })
    await offer.waitFor()
    expect(await widget(page).locator('div.p').first().getAttribute('dir')).toBe('rtl')
    const box = (await offer.boundingBox())!
    expect(box.x).toBeGreaterThanOrEqual(0)
    expect(box.x + box.width).toBeLessThanOrEqual(360)
    expect(await seriousViolations(page)).toEqual([])

    // The page asks for help (Parley('set')) while nobody is free: the form's rule decides over the offer.
    await callParley(page, 'set', { help: 'yes' })
    await until(async () => (await why(page)).startsWith('Parley shows: offline-form'), 'offline form decided', 15_000)
    expect(await offer.count()).toBe(0)
    await launcher(page).click()
    const form = widget(page).getByRole('dialog', { name: 'اترك لنا رسالة' })
    await form.getByRole('button', { name: 'إرسال' }).click()
    expect(await form.locator('.ff .fe').allInnerTexts()).toEqual(['يرجى ملء هذا الحقل.', 'يرجى ملء هذا الحقل.', 'يرجى ملء هذا الحقل.'])
    expect(await seriousViolations(page)).toEqual([])
  })

  it('decides again on single-page-app navigation (pushState, back) and says why', async () => {
    await setRules([
      { id: 'spa-checkout', when: { fact: 'path', op: 'prefix', value: '/checkout' }, action: { type: 'hide' } },
      { id: 'spa-pricing', when: { fact: 'path', op: 'glob', value: '/pricing*' }, action: { type: 'offer', text: 'Pricing offer' } },
    ])
    const page = await visit(await newContext())
    const offer = widget(page).getByRole('region', { name: 'Offer' })
    await launcher(page).waitFor()
    expect(await why(page)).toBe([
      'Parley shows: button (no rule matched)',
      '  spa-checkout: not-matched: path prefix "/checkout" was "/"',
      '  spa-pricing: not-matched: path glob "/pricing*" was "/"',
    ].join('\n'))

    await page.evaluate(() => history.pushState({}, '', '/pricing/plans'))
    await offer.waitFor()
    expect(await why(page)).toBe([
      'Parley shows: offer (rule "spa-pricing")',
      '  spa-checkout: not-matched: path prefix "/checkout" was "/pricing/plans"',
      '  spa-pricing: matched',
    ].join('\n'))

    await page.evaluate(() => history.pushState({}, '', '/checkout'))
    await until(async () => (await launcher(page).count()) === 0, 'launcher hidden at checkout')
    expect(await offer.count()).toBe(0)

    await page.evaluate(() => history.back())
    await offer.waitFor()
    expect(await launcher(page).count()).toBe(1)
  })

  it("decides again, with one timer each, when time on page crosses a rule's threshold and when business hours close", async () => {
    await setRules([
      { id: 'after-hours', when: { fact: 'businessHours', op: 'is', value: false }, action: { type: 'offline-form' } },
      { id: 'lingering', when: { fact: 'timeOnPageSec', op: 'gte', value: 30 }, action: { type: 'offer', text: 'Still looking? Ask us.' } },
    ])
    // Thursday 3 December 2026, open until 10:02 UTC; the page's clock starts at 10:00:01.
    const hours = { timeZone: 'UTC', weekly: { thu: [{ from: '09:00', to: '10:02' }] } }
    const put = await fetch(`${suite.demo.url}/v1/business-hours`, { method: 'PUT', headers: { ...auth(), 'content-type': 'application/json' }, body: JSON.stringify(hours) })
    expect(put.status).toBe(200)
    try {
      const page = await (await newContext()).newPage()
      await page.clock.install({ time: Date.parse('2026-12-03T10:00:00Z') })
      await page.clock.pauseAt(Date.parse('2026-12-03T10:00:01Z'))
      await page.addInitScript(OBSERVE)
      await page.goto(`${suite.demo.siteUrl}/`)
      await page.clock.runFor(5000)
      await until(() => page.evaluate(() => (window as unknown as { __ready?: boolean }).__ready === true), 'widget ready', 15_000)
      expect(await why(page)).toMatch(/^Parley shows: button \(no rule matched\)/)

      // The page view began when the widget booted, after the 5 s above: 31 s more cross the 30 s.
      await page.clock.runFor(31_000)
      await widget(page).getByRole('region', { name: 'Offer' }).waitFor()
      expect(await why(page)).toMatch(/^Parley shows: offer \(rule "lingering"\)/)

      // 10:02 passes: the hours close and the launcher opens the offline form.
      await page.clock.runFor(90_000)
      await until(async () => (await why(page)).startsWith('Parley shows: offline-form (rule "after-hours")'), 'closed at 10:02')
      await launcher(page).click()
      await widget(page).getByRole('dialog', { name: 'Leave us a message' }).waitFor()
    } finally {
      await fetch(`${suite.demo.url}/v1/business-hours`, { method: 'DELETE', headers: auth() })
    }
  })

  it('polls availability only while the page is visible, at once when it shows again, and opens no socket for it', async () => {
    await setRules([{ id: 'poll-free', when: { fact: 'agentsAvailable', op: 'gt', value: 0 }, action: { type: 'button' } }])
    const ctx = await newContext()
    const page = await ctx.newPage()
    const asked: string[] = []
    const answered: string[] = []
    const sockets: string[] = []
    page.on('request', (r) => { if (r.url().includes('/availability')) asked.push(r.url()) })
    page.on('requestfinished', (r) => { if (r.url().includes('/availability') || r.url().includes('after-hidden')) answered.push(r.url()) })
    page.on('websocket', (ws) => sockets.push(ws.url()))
    // The page's clock stands still except when the test moves it.
    await page.clock.install({ time: Date.parse('2026-12-03T10:00:00Z') })
    await page.clock.pauseAt(Date.parse('2026-12-03T10:00:01Z'))
    await page.addInitScript(PAGE_VISIBILITY_SCRIPT)
    await page.addInitScript(OBSERVE)
    await page.goto(`${suite.demo.siteUrl}/`)
    // The loader waits for idle time (at most 4 s) on the page's clock.
    await page.clock.runFor(5000)
    await until(() => page.evaluate(() => (window as unknown as { __ready?: boolean }).__ready === true), 'widget ready', 15_000)
    await until(() => asked.length === 1, 'first poll')
    await until(async () => (await why(page)).includes('poll-free: not-matched'), 'first answer applied')

    // The relay's pollMs (5 s by default) on the page's clock: the next request.
    await page.clock.runFor(5000)
    await until(() => asked.length === 2, 'second poll')
    await until(() => answered.length === 2, 'second answer')

    await setPageHidden(page, true)
    await page.clock.runFor(60_000)
    // A request the page makes after those minutes arrives after any poll they would have made.
    await page.evaluate((url) => fetch(url, { credentials: 'omit' }), `${suite.demo.url}/v1/sites/${suite.demo.demo.siteKey}/config?after-hidden`)
    await until(() => answered.some((u) => u.includes('after-hidden')), 'marker request')
    expect(asked).toHaveLength(2)

    await setPageHidden(page, false)
    await until(() => asked.length === 3, 'poll on showing again')
    expect(sockets).toEqual([])
  })
})
