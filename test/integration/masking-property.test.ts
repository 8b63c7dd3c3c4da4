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

// The property behind "card numbers never reach the store": random text with a valid card number
// in it, sent by the SDK's connection client (which masks nothing itself) through a real relay
// logging at trace level. Once the conversation is closed (so the search index holds it) and the
// WAL checkpointed, the card's digits, as typed and as one digit run, are in none of: the database
// file and its WAL (read as bytes, every table), the relay's log, the frames the agent was sent,
// and the search index.

/** Test numbers' prefixes of 8 card brands, and their lengths. */
const BRANDS: [prefix: string, length: number][] = [
  ['4', 16], ['51', 16], ['2221', 16], ['34', 15], ['6011', 16], ['3528', 16], ['36', 14], ['62', 19],
]
const SEPARATORS = ['', ' ', '-', '.', '/']

function luhnDigit(body: string): number {
  let sum = 0
  for (let i = 0; i < body.length; i++) {
    let d = body.charCodeAt(body.length - 1 - i) - 48
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2
    sum += d
  }
  return (10 - (sum % 10)) % 10
}

/** A Luhn-valid card number of one of the brands, digits only. */
const cardDigits = fc.tuple(fc.constantFrom(...BRANDS), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 18, maxLength: 18 }))
  .map(([[prefix, length], rest]) => {
    const body = prefix + rest.join('').slice(0, length - prefix.length - 1)
    return body + luhnDigit(body)
  })
// Text around the card holds no digits, so a match for the card's digits can only be the card.
const words = fc.string({ unit: fc.constantFrom(...'abcdefghij KLMNOP,.!?:;()é€ü日本'.split('')), maxLength: 60 })
const message = fc.record({ digits: cardDigits, sep: fc.constantFrom(...SEPARATORS), before: words, after: words })
  .map(({ digits, sep, before, after }) => {
    const typed = digits.replace(/(\d{4})(?=\d)/g, `$1${sep}`)
    return { digits, typed, text: `${before} ${typed} ${after}` }
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

  /** Every byte of the database file and its WAL, after a checkpoint that leaves the WAL in place. */
  function databaseBytes(): Buffer {
    const file = databaseFile(relay.dataDir)
    const db = new Database(file)
    try { db.pragma('wal_checkpoint(PASSIVE)') } finally { db.close() }
    return Buffer.concat([readFileSync(file), ...(existsSync(`${file}-wal`) ? [readFileSync(`${file}-wal`)] : [])])
  }

  it('is in none of the store, its WAL, the log, the agent\'s frames or the search index, in any form', async () => {
    await fc.assert(fc.asyncProperty(message, async ({ digits, typed, text }) => {
      const convId = visitor.conn.newConversationId()
      await visitor.conn.send(convId, 'hello')
      await agent.next('conversation.opened', (f) => f.convId === convId)
      agent.send({ type: 'conversation.join', convId, ref: convId })
      await agent.next('conversation.joined', (f) => f.convId === convId)
      await visitor.conn.send(convId, text)
      const stored = await agent.next('message.new', (f) => f.convId === convId && f.seq === 2)
      expect(stored.text).toContain('[card]')
      agent.send({ type: 'conversation.close', convId, ref: `close-${convId}` })
      await agent.next('conversation.closed', (f) => f.convId === convId)

      const forms = [...new Set([digits, typed])]
      const bytes = databaseBytes()
      const logged = log.join('')
      const frames = JSON.stringify(agent.frames)
      for (const form of forms) {
        expect(bytes.includes(Buffer.from(form)), `store holds ${form}`).toBe(false)
        expect(logged.includes(form), `log holds ${form}`).toBe(false)
        expect(frames.includes(form), `agent was sent ${form}`).toBe(false)
        const found = await callRest(relay, { url: `/v1/conversations?q=${encodeURIComponent(form)}`, token: brand.apiKey })
        expect(found.status).toBe(200)
        expect(found.body.conversations.map((c: { convId: string }) => c.convId)).not.toContain(convId)
      }
      // The index holds the conversation: its masked text is found.
      const masked = await callRest(relay, { url: '/v1/conversations?q=card', token: brand.apiKey })
      expect(masked.body.conversations.map((c: { convId: string }) => c.convId)).toContain(convId)
    }), { numRuns: 25 })
    // The log was captured at trace level: the property looked at something.
    await until(() => log.length > 0, 'log lines')
    expect(log.some((l) => l.includes('"level":10') || l.includes('"level":20'))).toBe(true)
  })
})
