import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { describeWithChromium, launchChromium } from '../helpers/chromium.js'
import { startDemoRelay, type DemoRelay } from '../helpers/demo-relay.js'
import { until } from '../helpers/until.js'
import { signInToConsole, visitorDetail } from '../helpers/console-page.js'

// The widget on brand pages that are hard on it: the demo site's strict Content-Security-Policy, the
// brand's own aggressive CSS, and a browser that sends Global Privacy Control.

describeWithChromium('widget on demanding brand pages', () => {
  let demo: DemoRelay
  let browser: Browser

  beforeAll(async () => {
    demo = await startDemoRelay()
    browser = await launchChromium()
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await demo?.close()
  })

  /** Opens the demo brand's home page in a fresh browser context (a new visitor). */
  async function demoPage(opts: { init?: string; bypassCSP?: boolean } = {}): Promise<Page> {
    const context = await browser.newContext({ bypassCSP: opts.bypassCSP ?? false })
    const page = await context.newPage()
    if (opts.init) await page.addInitScript(opts.init)
    await page.addInitScript(() => {
      const w = window as unknown as { __csp: string[] }
      w.__csp = []
      document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`))
    })
    await page.goto(`${demo.siteUrl}/`)
    return page
  }

  /** The stored conversation whose transcript holds `text`, as the brand's REST API returns it. */
  async function conversationWith(text: string): Promise<{ convId: string; context: Record<string, unknown> | null } | null> {
    const auth = { authorization: `Bearer ${demo.demo.apiKey}` }
    const res = await fetch(`${demo.url}/v1/conversations?status=open&limit=50`, { headers: auth })
    const list = (await res.json()) as { conversations: { convId: string; context: Record<string, unknown> | null }[] }
    for (const c of list.conversations) {
      const page = (await (await fetch(`${demo.url}/v1/conversations/${c.convId}/messages`, { headers: auth })).json()) as { messages: { text: string }[] }
      if (page.messages.some((m) => m.text === text)) return c
    }
    return null
  }

  async function chat(page: Page, text: string): Promise<void> {
    const w = page.locator('parley-chat')
    await w.getByRole('button', { name: 'Open chat' }).click()
    await w.getByRole('textbox', { name: 'Message' }).fill(text)
    await w.getByRole('textbox', { name: 'Message' }).press('Enter')
    await until(async () => (await w.locator('li.me .s').allInnerTexts()).includes('Sent'), 'message sent', 15_000)
  }

  it("works under the demo site's strict CSP (no 'unsafe-inline', no 'unsafe-eval') and breaks none of its rules", async () => {
    const page = await demoPage()
    const csp = (await page.request.get(`${demo.siteUrl}/`)).headers()['content-security-policy'] ?? ''
    expect(csp).toContain("default-src 'none'")
    expect(csp).not.toMatch(/unsafe-(inline|eval)/)
    await chat(page, 'hello from a strict page')
    expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([])
    await page.context().close()
  })

  it("keeps its look whatever the brand's CSS does, and leaves the brand's page as it was", async () => {
    const hostile = `<style>* { font-size: 40px !important; color: red !important; display: block; } button { display: none !important; }
      parley-chat { display: none !important; } ol, li { list-style: disc !important; } body { background: rgb(1, 2, 3); }</style>`
    // The brand's stylesheet arrives before the widget does (the loader waits for the page's load).
    const init = `document.addEventListener('DOMContentLoaded', () => document.head.insertAdjacentHTML('beforeend', ${JSON.stringify(hostile)}))`
    const page = await demoPage({ init, bypassCSP: true })
    await chat(page, 'still readable')
    const w = page.locator('parley-chat')
    expect(await w.locator('li.me .u').first().evaluate((el) => getComputedStyle(el).fontSize)).toBe('15px')
    expect(await page.locator('main p').first().evaluate((el) => [getComputedStyle(el).fontSize, getComputedStyle(document.body).backgroundColor])).toEqual(['40px', 'rgb(1, 2, 3)'])
    await page.context().close()
  })

  it('shares no behavioural context under Global Privacy Control until the visitor opts in', async () => {
    const gpc = "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true })"
    const page = await demoPage({ init: gpc })
    await chat(page, 'my browser sends GPC')
    const contextOf = async () => (await conversationWith('my browser sends GPC'))?.context ?? null
    const before = await until(contextOf, 'conversation stored')
    expect(before.tracking).toBe('not-shared')
    expect(before).not.toHaveProperty('pagesViewed')
    expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes('tally')))).toEqual([])

    // The agent sees "not shared" in place of each behavioural value, until the visitor opts in.
    const agentCtx = await browser.newContext({ viewport: { width: 1400, height: 900 } })
    const con = await agentCtx.newPage()
    await signInToConsole(con, demo)
    await con.getByRole('button', { name: 'Accept: my browser sends GPC' }).click()
    const detail = (name: string) => visitorDetail(con, name)
    await until(async () => (await detail('Pages this visit').count()) === 1, 'visitor details shown')
    for (const name of ['Pages this visit', 'Time on site', 'Returning visitor', 'Visit count']) expect(await detail(name).innerText()).toBe('not shared')

    await page.locator('parley-chat').getByRole('checkbox').check()
    const after = await until(async () => {
      const c = await contextOf()
      return c?.tracking === 'shared' ? c : null
    }, 'context shared after opt-in')
    expect(after.pagesViewed).toBe(1)
    await until(async () => (await detail('Pages this visit').innerText()) === '1', 'agent sees the shared value')
    expect(await detail('Visit count').innerText()).toBe('1')
    await agentCtx.close()
    await page.context().close()
  })

  it("stays off, with one console warning, on a page whose origin the brand doesn't allow", async () => {
    const tag = `<script async src="${demo.url}/parley.js" data-site="${demo.demo.siteKey}"></script>`
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      res.end(`<!doctype html><html lang="en"><head><title>Elsewhere</title>${tag}</head><body><p>Not the brand's site</p></body></html>`)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const context = await browser.newContext()
    try {
      const page = await context.newPage()
      const warnings: string[] = []
      const sockets: string[] = []
      page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()) })
      page.on('websocket', (ws) => sockets.push(ws.url()))
      await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`)
      await page.evaluate(() => (window as unknown as { Parley: (...a: unknown[]) => void }).Parley('open'))
      await until(() => warnings.some((w) => w.startsWith('Parley:')), 'the warning')
      expect(warnings.filter((w) => w.startsWith('Parley:'))).toEqual([expect.stringContaining('PARLEY_ERR_TENANT_ORIGIN')])
      expect(await page.locator('parley-chat').count()).toBe(0)
      expect(sockets).toEqual([])
    } finally {
      await context.close()
      server.close()
    }
  })
})
