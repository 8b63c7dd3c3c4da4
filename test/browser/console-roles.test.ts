import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { Role } from '@parley/sdk/contract'
import { describeWithChromium, launchChromium } from '../helpers/chromium.js'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand, type TestAgent, type TestBrand } from '../helpers/brand.js'
import { signInAs } from '../helpers/console-page.js'
import { seriousViolations } from '../helpers/axe.js'
import { until } from '../helpers/until.js'
import { connectVisitor, sendAndAck } from '../helpers/delivery-chat.js'

// The console by role, in Chromium on a real relay: the plain agent sees no reports, floor or admin
// area; a supervisor sees reports; an admin manages accounts, API keys (the secret shown once),
// sessions and reads the audit log. Sign-out, a revoked session and a deactivated account each end
// the session on the relay and bring the console back to its sign-in form, saying why.

const WIDGET_DIST = fileURLToPath(new URL('../../widget/dist', import.meta.url))
const SESSION_KEY = 'parley-console-session'

describeWithChromium('console roles, admin area and sign-out in Chromium', () => {
  let relay: TestRelay
  let browser: Browser
  let brand: TestBrand
  let admin: TestAgent
  const contexts: BrowserContext[] = []

  beforeAll(async () => {
    relay = await startRelay({ widgetDir: WIDGET_DIST })
    brand = await createTestBrand(relay)
    admin = await createTestAgent(relay, brand.brandId, 'Ada Admin', 'admin')
    browser = await launchChromium()
  }, 60_000)
  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()))
    await browser?.close()
    await relay?.close()
  })

  /** A console signed in as `agent`, in its own browser context (its own session storage). */
  async function consoleOf(agent: TestAgent): Promise<Page> {
    // axe is injected as an inline script: the console's CSP would refuse it.
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, bypassCSP: true })
    contexts.push(context)
    const page = await context.newPage()
    await signInAs(page, `${relay.url}/console?brand=${brand.brandId}`, agent)
    await page.getByRole('heading', { name: 'My chats' }).waitFor()
    return page
  }

  async function agentOf(name: string, role: Role): Promise<TestAgent> {
    return createTestAgent(relay, brand.brandId, name, role)
  }

  const pageLink = (page: Page, name: string) => page.locator('.side').getByRole('button', { name, exact: true })

  async function openAdmin(page: Page, part: 'Accounts' | 'API keys' | 'Sessions' | 'Audit log'): Promise<void> {
    await pageLink(page, 'Admin').click()
    await page.getByRole('navigation', { name: 'Admin parts' }).getByRole('button', { name: part }).click()
    await page.getByRole('heading', { name: part, level: 3 }).waitFor()
  }

  /** The sign-in form is back, with `notice` saying why (null: a plain sign-out, nothing said). */
  async function backAtSignIn(page: Page, notice: RegExp | null): Promise<void> {
    await page.getByRole('button', { name: 'Sign in' }).waitFor({ timeout: 15_000 })
    if (notice) await until(async () => notice.test(await page.locator('.login').innerText()), `sign-in says ${notice}`, 15_000)
    expect(await page.evaluate((k) => sessionStorage.getItem(k), SESSION_KEY)).toBeNull()
  }

  async function tokenOf(page: Page): Promise<string> {
    const saved = await page.evaluate((k) => sessionStorage.getItem(k), SESSION_KEY)
    return (JSON.parse(saved!) as { session: { token: string } }).session.token
  }

  async function restStatus(path: string, token: string): Promise<{ status: number; code?: string }> {
    const res = await fetch(`${relay.url}${path}`, { headers: { authorization: `Bearer ${token}` } })
    const body = (await res.json().catch(() => ({}))) as { code?: string }
    return { status: res.status, ...(body.code ? { code: body.code } : {}) }
  }

  it('shows the plain agent role the queue, chats and transcripts but no reports, floor, rules or admin area', async () => {
    const page = await consoleOf(await agentOf('Ari Agent', 'agent'))
    await pageLink(page, 'Transcripts').waitFor()
    for (const hidden of ['Reports', 'Floor', 'Rules', 'Admin']) expect(await pageLink(page, hidden).count(), hidden).toBe(0)
  })

  it('offers the plain agent personal canned replies only: brand-wide ones are a supervisor\'s', async () => {
    const page = await consoleOf(await agentOf('Cal Canned', 'agent'))
    await pageLink(page, 'Canned replies').click()
    await page.getByRole('button', { name: 'New reply' }).click()
    await page.getByRole('form', { name: 'New canned reply' }).waitFor()
    expect(await page.getByRole('radio', { name: 'Brand-wide (every agent)' }).count()).toBe(0)
    expect(await page.getByRole('form', { name: 'New canned reply' }).innerText()).toContain('Personal: only you see this reply.')
  })

  it('shows a supervisor the reports and floor, and no admin area', async () => {
    const page = await consoleOf(await agentOf('Sue Supervisor', 'supervisor'))
    await pageLink(page, 'Reports').click()
    await page.getByRole('heading', { name: 'Reports', level: 2 }).waitFor({ timeout: 15_000 })
    expect(await pageLink(page, 'Floor').count()).toBe(1)
    expect(await pageLink(page, 'Admin').count()).toBe(0)
  })

  it('lets an admin create a key whose secret shows once, works, and stops working when revoked', async () => {
    const page = await consoleOf(admin)
    await openAdmin(page, 'API keys')
    await page.getByLabel('Key name').fill('Nightly reports')
    await page.getByRole('group', { name: 'Scopes' }).getByLabel('reports:read').check()
    await page.getByRole('button', { name: 'Create key' }).click()
    const shown = page.getByRole('region', { name: 'Secret of Nightly reports' })
    await shown.waitFor()
    expect(await shown.innerText()).toMatch(/shown only once/)
    const secret = (await shown.getByLabel('Secret').innerText()).trim()
    const day = new Date().toISOString().slice(0, 10)
    expect((await restStatus(`/v1/reports?from=${day}&to=${day}`, secret)).status).toBe(200)
    // Listed by its prefix; once dismissed, the secret is nowhere on the page, not even after a reload of the list.
    const row = page.getByRole('row').filter({ hasText: 'Nightly reports' })
    expect(await row.innerText()).toContain('reports:read')
    await page.getByRole('button', { name: 'I have saved it' }).click()
    await openAdmin(page, 'Accounts')
    await openAdmin(page, 'API keys')
    await row.waitFor()
    expect(await page.content()).not.toContain(secret)
    // Revoking asks first.
    await page.getByRole('button', { name: 'Revoke Nightly reports' }).click()
    await page.getByRole('button', { name: 'Yes, revoke Nightly reports' }).click()
    await until(async () => (await row.innerText()).includes('Revoked'), 'key listed as revoked')
    expect(await restStatus(`/v1/reports?from=${day}&to=${day}`, secret)).toEqual({ status: 401, code: 'PARLEY_ERR_AUTH_KEY_REVOKED' })
  })

  it('shows a rotated key\'s new secret once, with the old key still listed', async () => {
    const page = await consoleOf(admin)
    await openAdmin(page, 'API keys')
    await page.getByLabel('Key name').fill('Exporter')
    await page.getByRole('group', { name: 'Scopes' }).getByLabel('transcripts:read').check()
    await page.getByRole('button', { name: 'Create key' }).click()
    const first = (await page.getByRole('region', { name: 'Secret of Exporter' }).getByLabel('Secret').innerText()).trim()
    await page.getByRole('button', { name: 'I have saved it' }).click()
    await page.getByRole('button', { name: 'Rotate Exporter' }).first().click()
    const second = (await page.getByRole('region', { name: 'Secret of Exporter' }).getByLabel('Secret').innerText()).trim()
    expect(second).not.toBe(first)
    // Both work during the grace period: clients move over without downtime.
    for (const s of [first, second]) expect((await restStatus('/v1/conversations', s)).status).toBe(200)
    expect(await page.getByRole('row').filter({ hasText: 'Exporter' }).count()).toBe(2)
    // The old one reads as retiring, and is not offered for another rotation.
    await until(async () => (await page.getByRole('row').filter({ hasText: 'Exporter' }).filter({ hasText: 'Retiring, expires' }).count()) === 1, 'the old key shown retiring')
    expect(await page.getByRole('button', { name: 'Rotate Exporter' }).count()).toBe(1)
  })

  it('refuses to demote the last admin, in words, and shows the role unchanged', async () => {
    const page = await consoleOf(admin)
    await openAdmin(page, 'Accounts')
    const role = page.getByLabel('Role of Ada Admin')
    await role.selectOption('agent')
    await until(async () => /at least one active admin/.test(await page.locator('.admin [role=alert]').innerText().catch(() => '')), 'last-admin refusal shown')
    await until(async () => (await role.inputValue()) === 'admin', 'role shown as admin again')
  })

  it('lets an admin create an account with a role and change its role', async () => {
    const page = await consoleOf(admin)
    await openAdmin(page, 'Accounts')
    const form = page.getByRole('form', { name: 'New account' })
    await form.getByLabel('Name').fill('Nia New')
    await form.getByLabel('E-mail').fill(`nia-${Date.now()}@agents.example`)
    await form.getByLabel('Password').fill('correct horse battery')
    await form.getByLabel('Role').selectOption('supervisor')
    await form.getByRole('button', { name: 'Create account' }).click()
    const role = page.getByLabel('Role of Nia New')
    await role.waitFor()
    expect(await role.inputValue()).toBe('supervisor')
    await role.selectOption('admin')
    await until(async () => /Nia New is now admin/.test(await page.getByRole('status').filter({ hasText: 'Nia New' }).innerText().catch(() => '')), 'role change said')
    const listed = (await (await fetch(`${relay.url}/v1/accounts`, { headers: { authorization: `Bearer ${admin.token}` } })).json()) as { accounts: { name: string; role: string }[] }
    expect(listed.accounts.find((a) => a.name === 'Nia New')?.role).toBe('admin')
  })

  it('deactivating an account sends that agent\'s open console back to sign-in, saying so', async () => {
    const dana = await agentOf('Dana Deactivated', 'agent')
    const theirs = await consoleOf(dana)
    const page = await consoleOf(admin)
    await openAdmin(page, 'Accounts')
    await page.getByRole('button', { name: 'Deactivate Dana Deactivated' }).click()
    await page.getByRole('button', { name: 'Reactivate Dana Deactivated' }).waitFor()
    await backAtSignIn(theirs, /This account was deactivated/)
    // And it does not reconnect behind the form: signing in is refused too.
    await theirs.getByLabel('E-mail').fill(dana.email)
    await theirs.getByLabel('Password').fill(dana.password)
    await theirs.getByRole('button', { name: 'Sign in' }).click()
    await until(async () => (await theirs.locator('.login .error').count()) === 1, 'sign-in refused')
  })

  it('revoking a session sends that console back to sign-in', async () => {
    const sam = await agentOf('Sam Session', 'agent')
    const theirs = await consoleOf(sam)
    const page = await consoleOf(admin)
    await openAdmin(page, 'Sessions')
    // Newest first: the console's sign-in came after the helper's REST one.
    const rows = page.getByRole('row').filter({ hasText: 'Sam Session' })
    await until(async () => (await rows.count()) === 2, 'both of Sam\'s sessions listed')
    expect(await rows.first().innerText()).toMatch(/Chrome/)
    await rows.first().getByRole('button', { name: /^Revoke the session of Sam Session/ }).click()
    await backAtSignIn(theirs, /You were signed out/)
    await until(async () => (await rows.count()) === 1, 'the revoked session leaves the list')
  })

  it('reads the audit log, filtered by action, paging to older entries', async () => {
    // More searches than the console's page of 50 holds, each one entry.
    const sam = await agentOf('Sid Searcher', 'agent')
    for (let i = 0; i < 55; i++) expect((await restStatus('/v1/conversations', sam.token)).status).toBe(200)
    const page = await consoleOf(admin)
    await openAdmin(page, 'Audit log')
    const table = page.getByRole('table', { name: 'Audit entries, newest first' })
    await table.waitFor()
    const filters = page.getByRole('search', { name: 'Filter the audit log' })
    await filters.getByLabel('Actor').fill(`agent:${sam.agentId}`)
    await filters.getByLabel('Action').selectOption('conversation.search')
    await filters.getByRole('button', { name: 'Filter' }).click()
    const actions = () => table.locator('tbody th').allInnerTexts()
    await until(async () => { const a = await actions(); return a.length === 50 && a.every((x) => x === 'conversation.search') }, 'a page of 50 searches')
    expect(await table.innerText()).toContain(`agent:${sam.agentId}`)
    // "Older" goes on under the same filters.
    await page.getByRole('button', { name: 'Older' }).click()
    await until(async () => (await actions()).length === 55, 'the older five added')
    expect(await page.getByRole('button', { name: 'Older' }).count()).toBe(0)
  })

  it('finds no serious accessibility violation in the admin area', async () => {
    const page = await consoleOf(admin)
    for (const part of ['Accounts', 'API keys', 'Sessions', 'Audit log'] as const) {
      await openAdmin(page, part)
      await until(async () => !/Loading/.test(await page.locator('.admin').innerText()), `${part} loaded`)
      expect(await seriousViolations(page), part).toEqual([])
    }
    // The once-shown secret, with its warning and copy button.
    await openAdmin(page, 'API keys')
    await page.getByLabel('Key name').fill('Axe check')
    await page.getByRole('group', { name: 'Scopes' }).getByLabel('config:read').check()
    await page.getByRole('button', { name: 'Create key' }).click()
    await page.getByRole('region', { name: 'Secret of Axe check' }).waitFor()
    expect(await seriousViolations(page), 'secret shown').toEqual([])
  }, 120_000)

  it('signs out on the relay: the console\'s old token is then refused over REST', async () => {
    const page = await consoleOf(await agentOf('Olly Out', 'agent'))
    const token = await tokenOf(page)
    expect((await restStatus('/v1/agents/me', token)).status).toBe(200)
    await page.getByRole('button', { name: 'Sign out' }).click()
    await backAtSignIn(page, null)
    expect(await restStatus('/v1/agents/me', token)).toEqual({ status: 401, code: 'PARLEY_ERR_AUTH_SESSION_REVOKED' })
  })

  it('still forgets the token when signing out offline (the relay never heard, so it works until it expires)', async () => {
    const page = await consoleOf(await agentOf('Otto Offline', 'agent'))
    const token = await tokenOf(page)
    await page.context().setOffline(true)
    await page.getByRole('button', { name: 'Sign out' }).click()
    await backAtSignIn(page, null)
    await page.context().setOffline(false)
    expect((await restStatus('/v1/agents/me', token)).status).toBe(200)
  })

  it('lists what the page set about the visitor under Unverified details, and no verified customer for an anonymous one', async () => {
    const page = await consoleOf(await agentOf('Vic Verify', 'agent'))
    const visitor = await connectVisitor(relay, brand, { context: { values: { plan: 'pro', email: 'claims@example.com' } } })
    await sendAndAck(visitor.client, 'conv-unverified', 'first', 'Who am I to you?')
    await page.getByRole('button', { name: /^Accept: Who am I to you\?/ }).click()
    const typed = page.getByRole('region', { name: 'Unverified details' })
    await until(async () => /claims@example\.com/.test(await typed.innerText().catch(() => '')), 'page values listed as unverified', 15_000)
    expect(await typed.innerText()).toMatch(/plan\s+pro/)
    expect(await page.getByRole('region', { name: /Customer/ }).count()).toBe(0)
  })
  it("shows a plain agent the Earlier conversations panel of a chat they accept, refused nothing and audited no denial", async () => {
    const ari = await agentOf('Eli Earlier', 'agent')
    const page = await consoleOf(ari)
    // The visitor's earlier chat nobody took is a customer history the plain role does not see:
    // the panel lists the agent's own chats with the visitor (none besides this one), not an error.
    const visitor = await connectVisitor(relay, brand)
    await sendAndAck(visitor.client, 'conv-earlier-first', 'e1', 'An earlier question nobody took')
    visitor.client.send({ type: 'conversation.close', convId: 'conv-earlier-first', ref: 'close-e1' })
    await visitor.client.next('conversation.closed', (f) => f.convId === 'conv-earlier-first')
    await sendAndAck(visitor.client, 'conv-earlier-now', 'e2', 'Back with another question')
    await page.getByRole('button', { name: /^Accept: Back with another question/ }).click()
    const earlier = page.getByRole('region', { name: 'Earlier conversations' })
    await until(async () => /None: this is the visitor's first conversation/.test(await earlier.innerText().catch(() => '')), 'the panel answered', 15_000)
    expect(await earlier.getByRole('alert').count()).toBe(0)
    expect(await relay.deps.store.listAudit(brand.brandId, { action: 'access.denied', actorId: ari.agentId, limit: 10 })).toEqual([])
  })
  it('makes one key for a double click on Create key, and one rotation for a double click on Rotate', async () => {
    // An admin of its own: Ada's sign-ins in this file are near the per-account login limit.
    const page = await consoleOf(await agentOf('Kit Keys', 'admin'))
    await openAdmin(page, 'API keys')
    // The relay answers slowly, so both clicks land while the first request runs.
    let release: () => void = () => {}
    const held = new Promise<void>((resolve) => { release = resolve })
    await page.route((url) => url.pathname.startsWith('/v1/keys'), async (route) => {
      if (route.request().method() === 'POST') await held
      await route.continue()
    })
    await page.getByLabel('Key name').fill('Twice clicked')
    await page.getByRole('group', { name: 'Scopes' }).getByLabel('reports:read').check()
    const create = page.getByRole('button', { name: 'Create key' })
    await create.dblclick()
    await until(async () => create.isDisabled(), 'Create key disabled while it runs')
    release()
    await page.getByRole('region', { name: 'Secret of Twice clicked' }).waitFor()
    await until(async () => create.isEnabled(), 'Create key enabled again')
    const named = async () => (await relay.deps.store.listApiKeys(brand.brandId)).filter((k) => k.name === 'Twice clicked')
    expect(await named()).toHaveLength(1)
    await page.getByRole('button', { name: 'I have saved it' }).click()

    const rotate = page.getByRole('button', { name: 'Rotate Twice clicked' })
    await rotate.dblclick()
    await page.getByRole('region', { name: 'Secret of Twice clicked' }).waitFor()
    await until(async () => (await page.getByRole('button', { name: 'Rotate Twice clicked' }).count()) === 1 && (await page.getByRole('button', { name: 'Rotate Twice clicked' }).isEnabled()), 'Rotate offered on the new key only')
    expect(await named()).toHaveLength(2)
    await page.unrouteAll()
  })

  it('keeps the new account form as typed when the create is refused, and clears it once it succeeds', async () => {
    const page = await consoleOf(await agentOf('Fay Form', 'admin'))
    await openAdmin(page, 'Accounts')
    const form = page.getByRole('form', { name: 'New account' })
    await form.getByLabel('Name').fill('Tara Taken')
    await form.getByLabel('E-mail').fill(admin.email)
    await form.getByLabel('Password').fill('correct horse battery')
    await form.getByRole('button', { name: 'Create account' }).click()
    await until(async () => (await page.locator('.admin [role=alert]').count()) === 1, 'the refusal shown')
    expect(await form.getByLabel('Name').inputValue()).toBe('Tara Taken')
    expect(await form.getByLabel('Password').inputValue()).toBe('correct horse battery')
    await form.getByLabel('E-mail').fill(`tara-${Date.now()}@agents.example`)
    await form.getByRole('button', { name: 'Create account' }).click()
    await page.getByLabel('Role of Tara Taken').waitFor()
    await until(async () => (await form.getByLabel('Password').inputValue()) === '', 'the form cleared after the create')
    expect(await form.getByLabel('Name').inputValue()).toBe('')
  })
})
