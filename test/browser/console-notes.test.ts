import { afterAll, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import type { NoteAdded } from '@parley/sdk/contract'
import { describeWithChromium, liveSwitch } from '../helpers/chromium.js'
import { demoSuite } from '../helpers/demo-suite.js'
import { signInToConsole } from '../helpers/console-page.js'
import { sendInWidget } from '../helpers/widget-page.js'
import { connectDemoAgent } from '../helpers/demo-agent.js'
import { until } from '../helpers/until.js'
import { seriousViolations } from '../helpers/axe.js'

// Internal notes between the two real front ends: the agent writes a note in the console and a
// colleague's arrives live, both shown as internal; the visitor's widget, on the same chat, never
// receives either, not on its socket, not in what it keeps in IndexedDB, not after a reload.

const MY_NOTE = 'NOTE-ONE refund approved by finance'
const THEIR_NOTE = 'NOTE-TWO customer called twice before'

describeWithChromium('internal notes in Chromium', () => {
  const suite = demoSuite()
  const contexts: BrowserContext[] = []
  afterAll(async () => { await Promise.all(contexts.map((c) => c.close())) })

  /** `bypassCSP`: the console's page, where axe-core is injected. */
  async function newPage(bypassCSP = false): Promise<Page> {
    const context = await suite.browser.newContext({ viewport: { width: 1400, height: 900 }, bypassCSP })
    contexts.push(context)
    return context.newPage()
  }

  /**
   * Signs a new agent of the demo brand in over REST, with a live connection. A supervisor: the
   * colleague joins a chat another agent took, which the plain agent role may not do.
   */
  async function colleague(name: string) {
    const { demo } = suite.demo
    const email = `${name.toLowerCase()}@agents.example`
    const created = await fetch(`${suite.demo.url}/v1/agents`, {
      method: 'POST', headers: { authorization: `Bearer ${demo.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ email, name, password: 'a long password', role: 'supervisor' }),
    })
    expect(created.status).toBe(201)
    return (await connectDemoAgent(suite.demo, { email, password: 'a long password' })).client
  }

  /** Everything the widget keeps in the browser for the demo brand, as one text. */
  const kept = (page: Page) => page.evaluate((db) => new Promise<string>((resolve, reject) => {
    const open = indexedDB.open(db)
    open.onsuccess = () => {
      const req = open.result.transaction('kv', 'readonly').objectStore('kv').getAll()
      req.onsuccess = () => resolve(JSON.stringify(req.result))
      req.onerror = () => reject(req.error)
    }
    open.onerror = () => reject(open.error)
  }), `parley-${suite.demo.demo.siteKey}`)

  it("shows notes to agents as internal, live, and never lets one reach the visitor's socket or IndexedDB", async () => {
    const visitor = await newPage()
    const received: string[] = []
    visitor.on('websocket', (ws) => ws.on('framereceived', (f) => received.push(String(f.payload))))
    await visitor.goto(`${suite.demo.siteUrl}/`)
    const widget = visitor.locator('parley-chat')
    await widget.getByRole('button', { name: 'Open chat' }).click()
    await sendInWidget(visitor, 'Where is my parcel?')

    const con = await newPage(true)
    await signInToConsole(con, suite.demo)
    const card = con.locator('ul.queue > li').filter({ hasText: 'Where is my parcel?' })
    await until(async () => (await card.count()) === 1, 'the chat in the queue', 15_000)
    await card.getByRole('button', { name: /^Accept/ }).click()
    await until(async () => (await con.locator('.lines li.them').filter({ hasText: 'Where is my parcel?' }).count()) === 1, 'the chat on screen')

    // The composer switches to a note, which looks unlike a reply and says who sees it; the switch
    // is a radio group, so the arrow keys move between its two.
    await con.getByRole('radio', { name: 'Reply' }).focus()
    await con.keyboard.press('ArrowRight')
    expect(await con.getByRole('radio', { name: 'Note' }).isChecked()).toBe(true)
    expect(await con.getByRole('group', { name: 'Write' }).count()).toBe(1)
    expect(await con.locator('.note-label').innerText()).toBe('Only agents see this')
    const box = con.getByRole('textbox', { name: 'Internal note' })
    await box.fill(MY_NOTE)
    await box.press('Enter')
    const mine = con.locator('.lines li.internal-note').filter({ hasText: MY_NOTE })
    await until(async () => (await mine.count()) === 1 && (await mine.locator('.muted').count()) === 0, 'my note stored', 15_000)
    expect(await mine.locator('.author').innerText()).toMatch(/^Internal note · /)

    // A colleague joins and writes a note: it appears in this console without a reload.
    const robin = await colleague('Robin')
    const convId = await until(() => received.map((p) => /"convId":"([^"]+)"/.exec(p)?.[1]).find(Boolean), 'the conversation id')
    await robin.conn.request({ type: 'conversation.join', convId })
    const added = await robin.conn.request<NoteAdded>({ type: 'note.add', convId, clientNoteId: 'robin-1', text: THEIR_NOTE })
    expect(added.note.author.name).toBe('Robin')
    const theirs = con.locator('.lines li.internal-note').filter({ hasText: THEIR_NOTE })
    await until(async () => (await theirs.count()) === 1, "the colleague's note, live", 15_000)
    expect(await theirs.locator('.author').innerText()).toMatch(/^Internal note · Robin · /)
    // Yellow notes and the note composer keep their contrast and names (axe-core, WCAG 2.1 A/AA).
    expect(await seriousViolations(con)).toEqual([])

    // Back to replying: the reply reaches the visitor, after both notes were written.
    await con.getByRole('radio', { name: 'Reply' }).click()
    const reply = con.getByRole('textbox', { name: 'Reply' })
    await reply.fill('It ships tomorrow')
    await reply.press('Enter')
    await until(async () => (await widget.locator('li').filter({ hasText: 'It ships tomorrow' }).count()) === 1, 'the reply in the widget', 15_000)
    // The saved history holds the reply once it is saved: the IndexedDB read below is the right one.
    await until(async () => (await kept(visitor)).includes('It ships tomorrow'), 'the reply in the saved history', 15_000)

    // A reload replays the conversation from the relay (resume): still no note.
    await visitor.reload()
    await widget.getByRole('button', { name: 'Open chat' }).click().catch(() => undefined)
    await until(async () => (await widget.locator('li').filter({ hasText: 'It ships tomorrow' }).count()) === 1, 'the reply after a reload', 15_000)
    expect(received.filter((p) => p.includes('"type":"welcome"'))).toHaveLength(2)

    const wire = received.join('\n')
    expect(wire).toContain('It ships tomorrow')
    for (const text of [MY_NOTE, THEIR_NOTE]) {
      expect(wire).not.toContain(text)
      expect(await kept(visitor)).not.toContain(text)
      expect(await widget.innerText()).not.toContain(text)
    }
    expect(wire).not.toContain('note.added')
    await robin.conn.stop()
  })

  it('saves a note written while the relay is unreachable once it is back, exactly once', async () => {
    const visitor = await newPage()
    await visitor.goto(`${suite.demo.siteUrl}/`)
    await visitor.locator('parley-chat').getByRole('button', { name: 'Open chat' }).click()
    await sendInWidget(visitor, 'Is anyone there?')

    const con = await newPage()
    const link = await liveSwitch(con.context())
    await signInToConsole(con, suite.demo)
    const card = con.locator('ul.queue > li').filter({ hasText: 'Is anyone there?' })
    await until(async () => (await card.count()) === 1, 'the chat in the queue', 15_000)
    await card.getByRole('button', { name: /^Accept/ }).click()
    await until(async () => (await con.locator('.lines li.them').filter({ hasText: 'Is anyone there?' }).count()) === 1, 'the chat on screen')

    await link.cut()
    await con.getByRole('radio', { name: 'Note' }).click()
    const box = con.getByRole('textbox', { name: 'Internal note' })
    await box.fill('written offline')
    await box.press('Enter')
    const note = con.locator('.lines li.internal-note').filter({ hasText: 'written offline' })
    await until(async () => (await note.locator('.error').count()) === 1, '"Not saved"')
    expect(await note.locator('.error').innerText()).toMatch(/^Not saved/)

    link.restore()
    await until(async () => (await note.locator('.error, .muted').count()) === 0, 'the note saved once the relay is back', 20_000)
    const { demo } = suite.demo
    const list = await fetch(`${suite.demo.url}/v1/conversations?limit=1`, { headers: { authorization: `Bearer ${demo.apiKey}` } })
    const [conv] = ((await list.json()) as { conversations: { convId: string }[] }).conversations
    const notes = await fetch(`${suite.demo.url}/v1/conversations/${conv!.convId}/notes`, { headers: { authorization: `Bearer ${demo.apiKey}` } })
    expect(((await notes.json()) as { notes: { text: string }[] }).notes.map((n) => n.text)).toEqual(['written offline'])
  })

  it('tells the visitor the agent stopped typing when a typed reply becomes a note', async () => {
    const visitor = await newPage()
    await visitor.goto(`${suite.demo.siteUrl}/`)
    const widget = visitor.locator('parley-chat')
    await widget.getByRole('button', { name: 'Open chat' }).click()
    await sendInWidget(visitor, 'Typing check please')
    const con = await newPage()
    await signInToConsole(con, suite.demo)
    const card = con.locator('ul.queue > li').filter({ hasText: 'Typing check please' })
    await until(async () => (await card.count()) === 1, 'the chat in the queue', 15_000)
    await card.getByRole('button', { name: /^Accept/ }).click()
    await until(async () => (await con.locator('.lines li.them').filter({ hasText: 'Typing check please' }).count()) === 1, 'the chat on screen')

    await con.getByRole('textbox', { name: 'Reply' }).pressSequentially('Let me see')
    const typing = widget.locator('.y')
    await until(async () => (await typing.innerText()).trim() !== '', 'typing shown to the visitor', 15_000)
    await con.getByRole('radio', { name: 'Note' }).check()
    // Well before the widget's own 8 s fallback.
    await until(async () => (await typing.innerText()).trim() === '', 'typing gone once it is a note', 4000)
  })

  it('takes a note on a closed chat it took part in, and shows notes in the transcript, marked internal', async () => {
    const visitor = await newPage()
    await visitor.goto(`${suite.demo.siteUrl}/`)
    await visitor.locator('parley-chat').getByRole('button', { name: 'Open chat' }).click()
    await sendInWidget(visitor, 'Closing notes zebra')
    const con = await newPage()
    await signInToConsole(con, suite.demo)
    const card = con.locator('ul.queue > li').filter({ hasText: 'Closing notes zebra' })
    await until(async () => (await card.count()) === 1, 'the chat in the queue', 15_000)
    await card.getByRole('button', { name: /^Accept/ }).click()
    await until(async () => (await con.locator('.lines li.them').filter({ hasText: 'Closing notes zebra' }).count()) === 1, 'the chat on screen')

    await con.getByRole('button', { name: 'Close chat' }).click()
    await until(async () => (await con.locator('.chatview').innerText()).includes('This conversation has ended.'), 'the chat closed')
    // No reply any more, and no switch: a note only.
    expect(await con.getByRole('textbox', { name: 'Reply' }).count()).toBe(0)
    expect(await con.getByRole('radio').count()).toBe(0)
    const box = con.getByRole('textbox', { name: 'Internal note' })
    await box.fill('AFTER-CLOSE follow up by email')
    await box.press('Enter')
    const note = con.locator('.lines li.internal-note').filter({ hasText: 'AFTER-CLOSE' })
    await until(async () => (await note.count()) === 1 && (await note.locator('.muted, .error').count()) === 0, 'the note stored', 15_000)

    await con.getByRole('button', { name: 'Transcripts' }).click()
    await con.getByLabel('Words').fill('zebra')
    await con.getByRole('button', { name: 'Search' }).click()
    const results = con.locator('ul.results > li')
    await until(async () => (await results.count()) === 1, 'the closed chat found')
    await results.first().getByRole('button').click()
    const transcript = con.getByRole('article', { name: 'Transcript' })
    const shown = transcript.locator('li.internal-note').filter({ hasText: 'AFTER-CLOSE follow up by email' })
    await until(async () => (await shown.count()) === 1, 'the note in the transcript', 15_000)
    expect(await shown.locator('.author').innerText()).toMatch(/^Internal note · /)
  })
})
