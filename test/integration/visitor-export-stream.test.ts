import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Parley, type VisitorExport } from '@parley/sdk'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestBrand, type TestBrand } from '../helpers/brand.js'
import { EXPORT_PAGES } from '../../server/src/data-rights/export-walk.js'
import type { AppendRequest, Store } from '../../server/src/store/store.js'

// A visitor with 10,000 messages is exported as a stream: the store is read a page at a time, and
// the first bytes reach the client while the last page has not been read yet, so the relay never
// holds the whole document. Seeded straight through the store (fast); read through the SDK's
// exportStream, so the client side streams too.

const MESSAGES = 10_000
const PADDING = 'x'.repeat(150)

async function seedVisitor(store: Store, brandId: string, visitorId: string, convId: string): Promise<void> {
  for (let from = 0; from < MESSAGES; from += 500) {
    const batch: AppendRequest[] = []
    for (let i = from; i < from + 500; i++) {
      batch.push({ brandId, convId, clientMsgId: `m-${i}`, from: { kind: 'visitor', id: visitorId }, text: `message ${i + 1} ${PADDING}`, at: 1_000_000 + i, context: null })
    }
    const results = await store.appendMessages(batch)
    if (results.some((r) => !r.ok)) throw new Error('seeding failed')
  }
}

describe('a 10,000-message export', () => {
  let relay: TestRelay
  let brand: TestBrand
  let parley: Parley
  const visitorId = 'v_big_talker'
  beforeAll(async () => {
    relay = await startRelay()
    brand = await createTestBrand(relay)
    parley = new Parley({ relay: relay.url, apiKey: brand.apiKey })
    await seedVisitor(relay.deps.store, brand.brandId, visitorId, 'c_long_chat')
  })
  afterAll(async () => { await relay.close() })

  it('reads the messages in pages and sends the first bytes before the last page is read', async () => {
    const reads: { afterSeq: number; limit: number }[] = []
    const store = relay.deps.store as unknown as { readMessages: Store['readMessages'] }
    const read = store.readMessages
    // The last page waits until the test has the first bytes: an export that built the whole
    // document before sending would never send them, and the test would time out.
    const lastAfterSeq = MESSAGES - EXPORT_PAGES.messages
    let releaseLast = () => {}
    const lastPage = new Promise<void>((resolve) => { releaseLast = resolve })
    store.readMessages = async (brandId, convId, afterSeq, limit) => {
      reads.push({ afterSeq, limit })
      if (afterSeq === lastAfterSeq) await lastPage
      return read.call(relay.deps.store, brandId, convId, afterSeq, limit)
    }
    try {
      const stream = await parley.visitors.exportStream({ visitorId })
      expect(stream.type).toBe('application/json; charset=utf-8')
      expect(stream.fileName).toMatch(/^parley-export-\d{4}-\d{2}-\d{2}\.json$/)
      const chunks = stream[Symbol.asyncIterator]()
      const first = await chunks.next()
      expect(first.done).toBe(false)
      expect(new TextDecoder().decode(first.value).startsWith('{"format":"parley.visitor-export","version":1,')).toBe(true)
      releaseLast()
      const bytes: Uint8Array[] = [first.value!]
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) bytes.push(next.value)
      const doc = JSON.parse(Buffer.concat(bytes).toString('utf8')) as VisitorExport
      const messages = doc.conversations[0]!.messages
      expect(messages).toHaveLength(MESSAGES)
      expect(messages.every((m, i) => m.seq === i + 1 && m.text === `message ${i + 1} ${PADDING}`)).toBe(true)
    } finally {
      releaseLast()
      store.readMessages = read
    }
    // Twenty full pages and the empty one that ends the conversation, never more than a page at once.
    expect(reads.map((r) => r.afterSeq)).toEqual(Array.from({ length: MESSAGES / EXPORT_PAGES.messages + 1 }, (_, i) => i * EXPORT_PAGES.messages))
    expect(reads.every((r) => r.limit === EXPORT_PAGES.messages)).toBe(true)
  })
})
