import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { describeWithChromium } from '../helpers/chromium.js'
import { demoSuite } from '../helpers/demo-suite.js'
import { until } from '../helpers/until.js'
import { callParley, chatLines, outboxSize, sendInWidget } from '../helpers/widget-page.js'
import { decodeToken } from '../helpers/forge-token.js'
import { createTokenSigner, type TokenClaims } from '../../server/src/auth/tokens.js'

// How long the widget keeps anything in the brand's origin (issue 19, "In the browser"):
// Parley('forget') leaves nothing of it in IndexedDB, localStorage or sessionStorage, in every tab
// of the site; and the saved history expires with the visitor token it was kept for, so a page
// loaded after the token's expiry shows none of it and starts a new visitor. The consent choice it
// keeps is the page's to use: later pages do not tell it to the relay again, so a withdrawal the
// brand recorded holds.

describeWithChromium('what the widget keeps in the browser, and for how long', () => {
  const suite = demoSuite()
  const contexts: BrowserContext[] = []
  afterAll(async () => { for (const c of contexts) await c.close() })

  const widget = (p: Page) => p.locator('parley-chat')
  const db = () => `parley-${suite.demo.demo.siteKey}`

  /** A brand page, in a new browser unless `context` is given, recording the widget's events. */
  async function brandPage(context?: BrowserContext): Promise<Page> {
    if (!context) {
      context = await suite.browser.newContext()
      contexts.push(context)
    }
    const page = await context.newPage()
    await page.goto(`${suite.demo.siteUrl}/`)
    await page.evaluate(() => {
      const w = window as unknown as { Parley: ((...x: unknown[]) => void) & { loaded?: boolean }; events: string[] }
      // A widget that booted before this ran has said 'ready' already (it does so right after loading).
      w.events = w.Parley.loaded ? ['ready'] : []
      for (const e of ['ready', 'forgotten']) w.Parley('on', e, () => w.events.push(e))
    })
    await until(async () => (await events(page)).includes('ready'), 'widget ready', 15_000)
    return page
  }
  const events = (p: Page) => p.evaluate(() => (window as unknown as { events: string[] }).events)

  /** Every key of the widget's IndexedDB store, and the entry under `key`. */
  const idb = (p: Page, key = 'parley:token') => p.evaluate(([name, k]) => new Promise<{ keys: string[]; value: unknown }>((resolve, reject) => {
    const open = indexedDB.open(name)
    open.onsuccess = () => {
      const store = open.result.transaction('kv', 'readonly').objectStore('kv')
      const keys = store.getAllKeys()
      const value = store.get(k)
      value.onsuccess = () => resolve({ keys: keys.result.map(String), value: value.result })
      value.onerror = () => reject(value.error)
    }
  }), [db(), key] as const)
  /** Every key of the origin's localStorage and sessionStorage that is the widget's. */
  const webStorageKeys = (p: Page) => p.evaluate(() => [...Object.keys(localStorage), ...Object.keys(sessionStorage)].filter((k) => k.toLowerCase().includes('parley')))

  it("Parley('forget') leaves nothing of the widget in IndexedDB, localStorage or sessionStorage, in every tab", async () => {
    const first = await brandPage()
    const second = await brandPage(first.context())
    await widget(first).getByRole('button', { name: /^Open chat/ }).click()
    await sendInWidget(first, 'Please forget me afterwards')
    await callParley(first, 'consent', true)
    // A rollout id, as a page whose rules split visitors between arms writes one.
    await first.evaluate((site) => localStorage.setItem(`parley:${site}:rollout`, 'r_123'), suite.demo.demo.siteKey)
    await until(async () => (await idb(first)).keys.includes('parley:history'), 'the saved history', 15_000)
    expect((await webStorageKeys(first)).length).toBeGreaterThan(1)

    await callParley(first, 'forget')
    for (const p of [first, second]) {
      await until(async () => (await events(p)).includes('forgotten'), 'forgotten in each tab', 15_000)
      await until(async () => (await idb(p)).keys.length === 0, 'IndexedDB empty', 15_000)
      expect(await webStorageKeys(p)).toEqual([])
      expect(await chatLines(p)).toEqual([])
    }
  })

  it('deletes the saved history on a page loaded after the visitor token expired, and starts a new visitor', async () => {
    const page = await brandPage()
    await widget(page).getByRole('button', { name: /^Open chat/ }).click()
    await sendInWidget(page, 'Kept until my token expires')
    const kept = await until(async () => {
      const saved = (await idb(page, 'parley:history')).value as { convId: string | null } | undefined
      return saved?.convId && (await outboxSize(page, suite.demo.demo.siteKey)) === 0 ? saved.convId : null
    }, 'the saved history', 15_000)
    const claims = decodeToken((await idb(page)).value as string).claims as unknown as TokenClaims

    // The same visitor's token as the relay signs it, a genuine one, but it expired an hour ago;
    // written from a page of the origin without the widget, so nothing writes it back.
    await page.goto(`${suite.demo.siteUrl}/no-widget-here`)
    const secret = Buffer.from(readFileSync(join(suite.demo.dataDir, 'secret.key'), 'utf8').trim(), 'base64')
    const { sub, brand, kind, sid } = claims
    const expired = createTokenSigner(secret, () => Date.now() - 2 * 3_600_000).sign({ sub, brand, kind, ...(sid ? { sid } : {}) }, 3600).token
    expect(createTokenSigner(secret, () => Date.now() - 2 * 3_600_000).verify(expired)).toMatchObject({ ok: true })
    expect(createTokenSigner(secret, Date.now).verify(expired)).toEqual({ ok: false, code: 'PARLEY_ERR_AUTH_TOKEN_EXPIRED' })
    await page.evaluate(([name, token]) => new Promise<void>((resolve, reject) => {
      const open = indexedDB.open(name)
      open.onsuccess = () => {
        const tx = open.result.transaction('kv', 'readwrite')
        tx.objectStore('kv').put(token, 'parley:token')
        tx.oncomplete = () => resolve()
        tx.onerror = () => reject(tx.error)
      }
    }), [db(), expired] as const)

    const next = await brandPage(page.context())
    // The widget has loaded once the expired visit's history is gone: deleted, and possibly saved
    // again at once for the new visitor with nothing in it (a transient state, not to be polled for).
    await until(async () => {
      const saved = (await idb(next, 'parley:history')).value as { convId: string | null; messages: unknown[] } | undefined
      return saved === undefined || (saved.convId !== kept && saved.messages.length === 0)
    }, 'the expired history deleted', 15_000)
    expect(await chatLines(next)).toEqual([])
    await widget(next).getByRole('button', { name: /^Open chat/ }).click()
    // Opening the chat connects a new visitor, whose token is saved.
    const newToken = await until(async () => {
      const token = (await idb(next)).value as string | undefined
      return token && token !== expired ? token : undefined
    }, 'a new token', 15_000)
    expect(decodeToken(newToken).claims.sub).not.toBe(claims.sub)
    expect(await chatLines(next)).toEqual([])
    // The next chat is a new visitor's.
    await sendInWidget(next, 'A new visitor now')
    expect(await chatLines(next)).toEqual(['A new visitor now'])
  })

  it("tells the relay a consent choice only on the page it was made: a brand's withdrawal holds on the next page", async () => {
    const page = await brandPage()
    await widget(page).getByRole('button', { name: /^Open chat/ }).click()
    await sendInWidget(page, 'Counting me in')
    await until(async () => (await outboxSize(page, suite.demo.demo.siteKey)) === 0, 'the message sent', 15_000)
    const visitorId = decodeToken((await idb(page)).value as string).claims.sub as string
    const rest = async (url: string, body: unknown) => {
      const res = await fetch(`${suite.demo.url}${url}`, { method: 'POST', headers: { authorization: `Bearer ${suite.demo.demo.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })
      expect(res.status).toBe(200)
      return await res.json() as { visitors: { consent: string | null; lastSeenAt: number }[]; consentEvents: { state: string; source: string }[] }
    }
    const exported = () => rest('/v1/visitors/export', { selector: { visitorId } })

    await callParley(page, 'consent', true)
    const granted = await until(async () => { const e = await exported(); return e.visitors[0]?.consent === 'granted' ? e : undefined }, 'the grant recorded', 15_000)
    await rest('/v1/visitors/consent', { selector: { visitorId }, state: 'denied' })

    // The next page of the site: its widget reconnects (the chat is open), and says nothing of the choice.
    await page.goto(`${suite.demo.siteUrl}/`)
    const later = await until(async () => { const e = await exported(); return e.visitors[0]!.lastSeenAt > granted.visitors[0]!.lastSeenAt ? e : undefined }, 'the next page connected', 15_000)
    expect(later.visitors[0]!.consent).toBe('denied')
    expect(later.consentEvents.map((e) => [e.state, e.source])).toEqual([['granted', 'widget'], ['denied', 'api']])
  })
})
