import { randomUUID } from 'node:crypto'
import { afterAll, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { SignJWT } from 'jose'
import { describeWithChromium } from '../helpers/chromium.js'
import { demoSuite } from '../helpers/demo-suite.js'
import { until } from '../helpers/until.js'
import { callParley, chatLines, sendInWidget } from '../helpers/widget-page.js'
import { TestClient } from '../helpers/ws-client.js'

// The brand's page says who its customer is: Parley('identify', token) with a token the test signs
// with jose as the brand's server would, against a secret made through the relay's REST. The
// customer's chat follows them to another browser; Parley('forget') leaves nothing of the visit in
// the browser, the next chat is a new anonymous visitor's, and the relay refuses the old token.

describeWithChromium('verified identity on a brand page, in Chromium', () => {
  const suite = demoSuite()
  const contexts: BrowserContext[] = []
  afterAll(async () => { for (const c of contexts) await c.close() })

  const widget = (p: Page) => p.locator('parley-chat')

  let made: Promise<string> | null = null
  /** The brand's identity secret, made once over REST (a brand holds at most two). */
  function createSecret(): Promise<string> {
    made ??= makeSecret()
    return made
  }

  async function makeSecret(): Promise<string> {
    const res = await fetch(`${suite.demo.url}/v1/identity/secrets`, { method: 'POST', headers: { authorization: `Bearer ${suite.demo.demo.apiKey}` } })
    expect(res.status).toBe(201)
    return ((await res.json()) as { secret: string }).secret
  }

  /** A token for `sub`, as the brand's server signs one when its customer logs in. */
  function sign(secret: string, sub: string): Promise<string> {
    const iat = Math.floor(Date.now() / 1000)
    return new SignJWT({ sub, name: 'Ada Lovelace', email: 'ada@example.com' })
      .setProtectedHeader({ alg: 'HS256' }).setAudience(suite.demo.demo.brandId).setIssuedAt(iat).setExpirationTime(iat + 300)
      .sign(Buffer.from(secret, 'base64url'))
  }

  /** A brand page in a browser of its own (or a new tab of `context`), recording the widget's identity events (and frames sent, into `sent`). */
  async function brandPage(context?: BrowserContext, sent?: string[]): Promise<Page> {
    if (!context) {
      context = await suite.browser.newContext()
      contexts.push(context)
    }
    const page = await context.newPage()
    // `sent`: every frame the page's sockets send, recorded from before the widget connects.
    if (sent) page.on('websocket', (ws) => ws.on('framesent', (f) => sent.push(String(f.payload))))
    await page.goto(`${suite.demo.siteUrl}/`)
    // Before the widget has loaded: the loader keeps the commands, the widget runs them in order.
    await page.evaluate(() => {
      const w = window as unknown as { Parley: (...x: unknown[]) => void; events: unknown[] }
      w.events = []
      w.Parley('on', 'identified', (c: unknown) => w.events.push(['identified', c]))
      w.Parley('on', 'forgotten', () => w.events.push(['forgotten']))
    })
    return page
  }

  const events = (p: Page) => p.evaluate(() => (window as unknown as { events: unknown[] }).events)

  /** Every key the widget keeps in this site's IndexedDB database. */
  const idbKeys = (p: Page) => p.evaluate((db) => new Promise<string[]>((resolve, reject) => {
    const open = indexedDB.open(db)
    open.onsuccess = () => {
      const req = open.result.transaction('kv', 'readonly').objectStore('kv').getAllKeys()
      req.onsuccess = () => resolve(req.result.map(String))
      req.onerror = () => reject(req.error)
    }
  }), `parley-${suite.demo.demo.siteKey}`)
  const idbToken = (p: Page) => p.evaluate((db) => new Promise<string | undefined>((resolve) => {
    const open = indexedDB.open(db)
    open.onsuccess = () => {
      const req = open.result.transaction('kv', 'readonly').objectStore('kv').get('parley:token')
      req.onsuccess = () => resolve(req.result as string | undefined)
    }
  }), `parley-${suite.demo.demo.siteKey}`)
  const localKeys = (p: Page) => p.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('parley:')))
  /** The visitor id a relay token stands for (its `sub`). */
  const visitorOf = (token: string) => (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { sub: string }).sub

  async function openChat(p: Page): Promise<void> {
    await widget(p).getByRole('button', { name: /^Open chat/ }).click()
  }

  it('follows the customer to another browser, and forget leaves nothing of the visit behind', async () => {
    const secret = await createSecret()
    const customerId = `cust-${randomUUID()}`

    const first = await brandPage()
    await callParley(first, 'identify', await sign(secret, customerId))
    await until(async () => (await events(first)).length === 1, 'identified', 15_000)
    expect(await events(first)).toEqual([['identified', expect.objectContaining({ customerId, name: 'Ada Lovelace', email: 'ada@example.com' })]])
    await openChat(first)
    await sendInWidget(first, 'Where is order 1042?')
    // The same customer again (the page calls identify on every load): nothing happens.
    await callParley(first, 'identify', await sign(secret, customerId))
    await callParley(first, 'consent', true)
    await sendInWidget(first, 'It was due Monday')
    expect(await events(first)).toHaveLength(1)

    // Another browser: the same customer logs in there and sees their conversation.
    const second = await brandPage()
    await callParley(second, 'identify', await sign(secret, customerId))
    await until(async () => (await events(second)).length === 1, 'identified on the second browser', 15_000)
    await openChat(second)
    await until(async () => (await chatLines(second)).includes('Where is order 1042?'), "the customer's conversation on the second browser", 15_000)
    expect(await chatLines(second)).toEqual(['Where is order 1042?', 'It was due Monday'])

    // Logging out on the first browser.
    const oldToken = await idbToken(first)
    expect(oldToken).toBeTruthy()
    expect((await idbKeys(first)).length).toBeGreaterThan(0)
    expect(await localKeys(first)).not.toEqual([])
    await callParley(first, 'forget')
    await until(async () => (await events(first)).some((e) => (e as string[])[0] === 'forgotten'), 'forgotten', 15_000)
    expect(await idbKeys(first)).toEqual([])
    expect(await localKeys(first)).toEqual([])
    expect(await chatLines(first)).toEqual([])

    // The next chat is a new anonymous visitor's.
    await sendInWidget(first, 'Hello, new here')
    expect(await chatLines(first)).toEqual(['Hello, new here'])
    const newToken = await until(() => idbToken(first), 'new token', 15_000)
    expect(visitorOf(newToken)).not.toBe(visitorOf(oldToken!))
    expect(await chatLines(second)).not.toContain('Hello, new here')

    // The relay refuses the old visitor token from now on.
    const ws = await TestClient.connect(`${suite.demo.url.replace(/^http/, 'ws')}/v1/live?site=${encodeURIComponent(suite.demo.demo.siteKey)}`)
    ws.send({ type: 'hello', protocol: 1, auth: { kind: 'visitor', token: oldToken } })
    expect(await ws.closed()).toBe(4401)
  })

  it('identify(null) logs out like forget, and another customer can log in after', async () => {
    const secret = await createSecret()
    const page = await brandPage()
    await callParley(page, 'identify', await sign(secret, `cust-${randomUUID()}`))
    await until(async () => (await events(page)).length === 1, 'identified', 15_000)
    await openChat(page)
    await sendInWidget(page, 'Before logging out')
    await callParley(page, 'identify', null)
    await until(async () => (await events(page)).some((e) => (e as string[])[0] === 'forgotten'), 'forgotten', 15_000)
    expect(await idbKeys(page)).toEqual([])
    expect(await chatLines(page)).toEqual([])
    // Another customer logs in on the same page: identified as them, with none of the first one's chat.
    const next = `cust-${randomUUID()}`
    await callParley(page, 'identify', await sign(secret, next))
    await until(async () => (await events(page)).length === 3, 'identified again', 15_000)
    expect((await events(page))[2]).toEqual(['identified', expect.objectContaining({ customerId: next })])
    expect(await chatLines(page)).toEqual([])
  })

  // One customer logs out and another logs in on the same page (a shared machine, a single-page app).
  it('identifies the next customer at once after a forget, and refuses the first one\'s token', async () => {
    const secret = await createSecret()
    const page = await brandPage()
    const warnings: string[] = []
    page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()) })
    const tokA = await sign(secret, `cust-${randomUUID()}`)
    await callParley(page, 'identify', tokA)
    await until(async () => (await events(page)).length === 1, 'identified', 15_000)
    await callParley(page, 'forget')
    await until(async () => (await events(page)).length === 2, 'forgotten', 15_000)
    const next = `cust-${randomUUID()}`
    await callParley(page, 'identify', await sign(secret, next))
    await until(async () => (await events(page)).length === 3 || warnings.length > 0, 'identified again', 15_000)
    expect(warnings).toEqual([])
    expect((await events(page))[2]).toEqual(['identified', expect.objectContaining({ customerId: next })])
    // The first customer's token, replayed on this page: refused as revoked.
    await callParley(page, 'identify', tokA)
    await until(() => warnings.length > 0, 'the warning', 15_000)
    expect(warnings).toEqual(['Parley: identify refused: PARLEY_ERR_IDENTITY_REVOKED'])
  })

  // An anonymous visit here: forget works the same without a customer.
  it("clears the site's other tabs too, so none writes the visit back", async () => {
    const first = await brandPage()
    await openChat(first)
    await sendInWidget(first, 'Two tabs open')
    const sent: string[] = []
    const second = await brandPage(first.context(), sent)
    // The customer's page values, set in the second tab: they go with its visitor's context.
    await callParley(second, 'set', { plan: 'gold-plan' })
    await openChat(second)
    await until(async () => (await chatLines(second)).includes('Two tabs open'), 'the chat in the second tab', 15_000)
    await until(() => sent.some((f) => f.includes('gold-plan')), 'the page value sent', 15_000)
    await callParley(first, 'forget')
    await until(async () => (await events(second)).some((e) => (e as string[])[0] === 'forgotten'), 'forgotten in the second tab', 15_000)
    expect(await chatLines(second)).toEqual([])
    await until(async () => (await idbKeys(second)).length === 0, 'nothing kept', 15_000)
    expect(await localKeys(second)).toEqual([])
    // The next visitor of the second tab chats: none of the logged-out customer's page values go with it.
    const after = sent.length
    await sendInWidget(second, 'A new visitor')
    await until(() => sent.slice(after).some((f) => f.includes('"hello"')), "the new visitor's hello", 15_000)
    expect(sent.slice(after).join('\n')).not.toContain('gold-plan')
  })

  it('keeps the chat of an anonymous visitor who logs in mid-visit, and it follows them', async () => {
    const secret = await createSecret()
    const customerId = `cust-${randomUUID()}`
    const page = await brandPage()
    await openChat(page)
    await sendInWidget(page, 'Asking before I log in')
    await callParley(page, 'identify', await sign(secret, customerId))
    await until(async () => (await events(page)).length === 1, 'identified', 15_000)
    await sendInWidget(page, 'Now logged in')
    expect(await chatLines(page)).toEqual(['Asking before I log in', 'Now logged in'])
    const other = await brandPage()
    await callParley(other, 'identify', await sign(secret, customerId))
    await openChat(other)
    await until(async () => (await chatLines(other)).length === 2, 'the chat on the other browser', 15_000)
    expect(await chatLines(other)).toEqual(['Asking before I log in', 'Now logged in'])
  })

  it('says why a token is refused, by its code only, and changes nothing', async () => {
    const secret = await createSecret()
    const page = await brandPage()
    const warnings: string[] = []
    page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()) })
    await openChat(page)
    await sendInWidget(page, 'Still anonymous')
    const tokenBefore = await idbToken(page)
    const iat = Math.floor(Date.now() / 1000)
    const expired = await new SignJWT({ sub: 'cust-late' }).setProtectedHeader({ alg: 'HS256' }).setAudience(suite.demo.demo.brandId)
      .setIssuedAt(iat - 400).setExpirationTime(iat - 100).sign(Buffer.from(secret, 'base64url'))
    await callParley(page, 'identify', expired)
    await until(() => warnings.some((w) => w.includes('identify refused')), 'the warning', 15_000)
    expect(warnings.filter((w) => w.includes('identify refused'))).toEqual(['Parley: identify refused: PARLEY_ERR_IDENTITY_EXPIRED'])
    expect(warnings.join('\n')).not.toContain(expired)
    expect(await events(page)).toEqual([])
    expect(await idbToken(page)).toBe(tokenBefore)
    await sendInWidget(page, 'Still here')
    expect(await chatLines(page)).toEqual(['Still anonymous', 'Still here'])
  })
})
