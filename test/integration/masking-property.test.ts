import { readFileSync, existsSync } from 'node:fs'
import Database from 'better-sqlite3'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand, type TestBrand } from '../helpers/brand.js'
import { liveClient, type LiveClient } from '../helpers/live-client.js'
import { callRest } from '../helpers/rest.js'
import { TestClient } from '../helpers/ws-client.js'
import { until } from '../helpers/until.js'
import { databaseFile } from '../../server/src/data-dir.js'
import { digitsOf } from '../unit/masking/fixtures.js'
import { cardDigitsOf, formsOf, holdingCard, stringsIn, writtenCard, type WrittenCard } from '../helpers/written-card.js'
import { storedMessages } from '../helpers/delivery-transcript.js'

// The property behind "card numbers never reach the store": random text with a valid card number
// in it, in any digit script and with any separator the engine reads (invisible and full-width ones
// included), alone, inside a word or in a URL, sent by the SDK's connection client (which masks
// nothing itself) through a real relay logging at trace level. Once the conversation is closed (so
// the search index holds it) and the WAL checkpointed, the card's digits are in none of: the
// database file and its WAL (read as bytes, every table), the relay's log, the frames the agent was
// sent, and the search index. "In any form": as ASCII digits, as the script's digits, as typed, and
// in the digit view of every stored cell, log string and frame string (digits of any script, read
// across separators). And a card cut at a random point into two messages of the same sender is
// stored in neither, with both rows masked (docs/masking.md, "A value split across messages").

// Text around the card holds no digits, so a match for the card's digits can only be the card.
const words = fc.string({ unit: fc.constantFrom(...'abcdefghij KLMNOP,.!?:;()é€ü日本'.split('')), maxLength: 60 })
const message = fc.record({ card: writtenCard, before: words, after: words, place: fc.constantFrom('alone', 'word', 'url') })
  .map(({ card, before, after, place }) => {
    const inside = place === 'alone' ? ` ${card.typed} ` : place === 'word' ? `x${card.typed}y` : ` https://shop.example/pay?n=${card.typed}&go=on `
    return { card, text: `${before}${inside}${after}` }
  })

/**
 * A card cut into two messages, between code points and never inside a percent escape (one URL is
 * never split across two messages), with at most 12 of its digits on either side: each half alone
 * is then no card number (13–19 digits), so only the relay's check across the two finds it.
 */
const split = fc.record({ card: writtenCard, before: words, after: words, at: fc.nat() })
  .map(({ card, before, after, at }) => {
    const points = card.typed.match(/%[\dA-F]{2}|[^]/giu)!
    const cuts: number[] = []
    for (let i = 1; i < points.length; i++) {
      const head = digitsOf(points.slice(0, i).join('')).length
      if (head <= 12 && card.digits.length - head <= 12) cuts.push(i)
    }
    const cut = cuts[at % cuts.length]!
    return { card, first: `${before} ${points.slice(0, cut).join('')}`, second: `${points.slice(cut).join('')} ${after}` }
  })

describe('a card number sent to the relay', () => {
  let relay: TestRelay
  let brand: TestBrand
  let agent: TestClient
  let visitor: LiveClient
  const log: string[] = []
  beforeAll(async () => {
    relay = await startRelay({ logStream: { write: (line) => { log.push(line) } }, logLevel: 'trace' })
    brand = await createTestBrand(relay)
    const a = await createTestAgent(relay, brand.brandId)
    agent = (await TestClient.agent(relay.wsUrl, a.token)).client
    visitor = liveClient({ url: `${relay.wsUrl}?site=${brand.siteKey}`, auth: { kind: 'visitor' } })
    await visitor.open()
  })
  afterAll(async () => {
    await visitor.conn.stop()
    agent.close()
    await relay.close()
  })

  /** Every byte of the database file and its WAL, after a checkpoint that leaves the WAL in place; and every text cell of every table. */
  function storeContents(): { bytes: Buffer; cells: string[] } {
    const file = databaseFile(relay.dataDir)
    const db = new Database(file)
    const cells: string[] = []
    try {
      db.pragma('wal_checkpoint(PASSIVE)')
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]
      for (const t of tables) {
        for (const row of db.prepare(`SELECT * FROM "${t.replaceAll('"', '""')}"`).raw().all() as unknown[][]) {
          for (const v of row) if (typeof v === 'string') cells.push(v)
        }
      }
    } finally { db.close() }
    const bytes = Buffer.concat([readFileSync(file), ...(existsSync(`${file}-wal`) ? [readFileSync(`${file}-wal`)] : [])])
    return { bytes, cells }
  }

  /** Every string in the log lines from `from` on (each line parsed as JSON). */
  function logStrings(from: number): string[] {
    return log.slice(from).flatMap((line) => line.split('\n').filter(Boolean).flatMap((l) => stringsIn(JSON.parse(l))))
  }

  /** The card is in none of the store (bytes and cells), the log, or the agent's frames, in any form. */
  function expectNowhere(card: WrittenCard, logFrom: number): void {
    const { bytes, cells } = storeContents()
    const logged = log.join('')
    const frames = JSON.stringify(agent.frames)
    for (const form of formsOf(card)) {
      expect(bytes.includes(Buffer.from(form)), `store holds ${JSON.stringify(form)}`).toBe(false)
      expect(logged.includes(form) || logged.includes(JSON.stringify(form).slice(1, -1)), `log holds ${JSON.stringify(form)}`).toBe(false)
      expect(frames.includes(JSON.stringify(form).slice(1, -1)), `agent was sent ${JSON.stringify(form)}`).toBe(false)
    }
    expect(holdingCard(cells, card), 'stored cells whose digits hold the card').toEqual([])
    expect(holdingCard(logStrings(logFrom), card), 'log strings whose digits hold the card').toEqual([])
    expect(holdingCard(stringsIn(agent.frames), card), 'frame strings whose digits hold the card').toEqual([])
  }

  async function openConversation(): Promise<string> {
    const convId = visitor.conn.newConversationId()
    await visitor.conn.send(convId, 'hello')
    await agent.next('conversation.opened', (f) => f.convId === convId)
    agent.send({ type: 'conversation.join', convId, ref: convId })
    await agent.next('conversation.joined', (f) => f.convId === convId)
    return convId
  }

  async function close(convId: string): Promise<void> {
    agent.send({ type: 'conversation.close', convId, ref: `close-${convId}` })
    await agent.next('conversation.closed', (f) => f.convId === convId)
  }

  async function searchFinds(q: string, convId: string): Promise<boolean> {
    const found = await callRest(relay, { url: `/v1/conversations?q=${encodeURIComponent(q)}`, token: brand.apiKey })
    expect(found.status).toBe(200)
    return found.body.conversations.map((c: { convId: string }) => c.convId).includes(convId)
  }

  it('is in none of the store, its WAL, the log, the agent\'s frames or the search index, in any form', async () => {
    await fc.assert(fc.asyncProperty(message, async ({ card, text }) => {
      // The digit view used below reads the card in what was sent.
      expect(holdingCard([text], card)).toEqual([text])
      const logFrom = log.length
      const convId = await openConversation()
      await visitor.conn.send(convId, text)
      const stored = await agent.next('message.new', (f) => f.convId === convId && f.seq === 2)
      expect(stored.text).toContain('[card]')
      // The only digits in the text were the card's: none is left.
      expect(digitsOf(stored.text)).toBe('')
      await close(convId)

      expectNowhere(card, logFrom)
      for (const form of formsOf(card)) expect(await searchFinds(form, convId), `search finds ${JSON.stringify(form)}`).toBe(false)
      // The index holds the conversation: its masked text is found.
      expect(await searchFinds('card', convId)).toBe(true)
    }), { numRuns: Number(process.env.RUNS ?? 25) })
    // The log was captured at trace level: the property looked at something.
    await until(() => log.length > 0, 'log lines')
    expect(log.some((l) => l.includes('"level":10') || l.includes('"level":20'))).toBe(true)
  })

  it('cut into two messages of one sender, is in neither stored row nor anywhere else, and both rows are masked', async () => {
    await fc.assert(fc.asyncProperty(split, async ({ card, first, second }) => {
      const logFrom = log.length
      const convId = await openConversation()
      await visitor.conn.send(convId, first)
      // Half a card is no card: the first half reaches the agent unmasked (line breaks normalised).
      const earlier = await agent.next('message.new', (f) => f.convId === convId && f.seq === 2)
      expect(cardDigitsOf(earlier.text)).toBe(cardDigitsOf(first))
      expect(cardDigitsOf(first).length).toBeGreaterThan(0)
      expect(holdingCard([first + second], card)).toEqual([first + second])
      await visitor.conn.send(convId, second)
      const later = await agent.next('message.new', (f) => f.convId === convId && f.seq === 3)
      const redacted = await agent.next('message.redacted', (f) => f.convId === convId && f.seq === 2)
      // Each stored row and what the agent holds: the card's part of it is masked, no digit of it is left.
      const rows = (await storedMessages(relay, brand.apiKey, convId)).map((m) => m.text)
      expect(rows).toHaveLength(3)
      expect(rows.slice(1)).toEqual([redacted.text, later.text])
      for (const row of rows.slice(1)) {
        expect(row).toContain('[card]')
        expect(digitsOf(row), `digits left in ${JSON.stringify(row)}`).toBe('')
      }
      await close(convId)
      expectNowhere(card, logFrom)
      expect(await searchFinds(card.digits, convId)).toBe(false)
    }), { numRuns: Number(process.env.RUNS ?? 20) })
  })
})
