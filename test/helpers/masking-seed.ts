import { readFileSync, existsSync } from 'node:fs'
import Database from 'better-sqlite3'
import type { VisitorContext } from '@parley/sdk/contract'
import type { AppendRequest, Store } from '../../server/src/store/store.js'

// Transcripts stored before masking existed: card numbers verbatim in messages of open and closed
// conversations and in visitors' contexts, written straight through the store (the relay's pipeline
// would mask them now). Each brand gets its own card numbers, so a scan of the database file can tell
// one brand's leftovers from another's.

/** Test card numbers that pass Luhn, as digits, one set per seeded brand. */
export const CARDS = {
  a: ['4111111111111111', '5555555555554444', '378282246310005', '6011000990139424'],
  b: ['4012888888881881', '6011111111111117'],
} as const

/** What seedCards stored for one brand. */
export interface SeededBrand {
  /** Every message stored, and how many of them hold a card number. */
  messages: number
  withCards: number
  /** Contexts stored (conversations' and visitors'), and how many hold a card number. */
  contexts: number
  contextsWithCards: number
  openConvId: string
  closedConvId: string
  visitorIds: string[]
}

/** Spaces a card number in groups of four, as people type it. */
export const spaced = (card: string) => card.replace(/(\d{4})(?=\d)/g, '$1 ')

/** A context with the card in its URL, title, referrer and a value. */
export function cardContext(card: string): VisitorContext {
  return {
    url: `https://shop.example/pay?card=${card}&step=2`,
    title: `Paying with ${spaced(card)}`,
    referrer: `https://mail.example/?q=${card}`,
    language: 'en',
    values: { note: `card ${card}`, plan: 'pro', seats: 3 },
  }
}

/**
 * Stores, for `brandId`: an open and a closed conversation (the closed one is in the search index),
 * each with messages holding `cards` (spaced, dashed, bare, and a Luhn-failing order number that must
 * stay), plus a visitor whose recorded visit holds a card in its context.
 */
export async function seedCards(store: Store, brandId: string, cards: readonly string[], prefix: string, extraPlain = 0): Promise<SeededBrand> {
  const [c0, c1, c2, c3 = c0] = cards as [string, string, string?, string?]
  const c2s = c2 ?? c0
  const visitorA = `${prefix}-va`
  const visitorB = `${prefix}-vb`
  const openConvId = `${prefix}-open`
  const closedConvId = `${prefix}-closed`
  const texts: { convId: string; visitorId: string; text: string; card: boolean; context?: VisitorContext }[] = [
    { convId: openConvId, visitorId: visitorA, text: `hi, my card is ${spaced(c0)} thanks`, card: true, context: cardContext(c0) },
    { convId: openConvId, visitorId: visitorA, text: 'order number 12345678901234 please', card: false },
    { convId: openConvId, visitorId: visitorA, text: `or use ${c1.replace(/(\d{4})(?=\d)/g, '$1-')}`, card: true },
    { convId: closedConvId, visitorId: visitorB, text: `card ${c2s} expires soon`, card: true, context: cardContext(c3) },
    { convId: closedConvId, visitorId: visitorB, text: 'nothing secret here', card: false },
    { convId: closedConvId, visitorId: visitorB, text: `again: ${c3}`, card: true },
  ]
  for (let i = 0; i < extraPlain; i++) texts.push({ convId: openConvId, visitorId: visitorA, text: `plain message ${i} with order ${100000 + i}`, card: false })
  const batch: AppendRequest[] = texts.map((t, i) => ({
    brandId, convId: t.convId, clientMsgId: `${prefix}-m${i}`, from: { kind: 'visitor', id: t.visitorId },
    text: t.text, at: 1_000_000 + i, context: t.context ?? null,
  }))
  for (let i = 0; i < batch.length; i += 500) {
    const results = await store.appendMessages(batch.slice(i, i + 500))
    if (results.some((r) => !r.ok)) throw new Error('seeding failed')
  }
  const closed = await store.closeConversation(brandId, closedConvId, { kind: 'visitor', id: visitorB }, 2_000_000)
  if (!closed.ok) throw new Error('closing the seeded conversation failed')
  await store.recordVisit(brandId, visitorA, cardContext(c1), 2_000_001)
  await store.recordVisit(brandId, visitorB, { url: 'https://shop.example/', language: 'en' }, 2_000_002)
  return {
    messages: texts.length, withCards: texts.filter((t) => t.card).length,
    // Two conversation contexts with cards, two visitor contexts of which one holds a card.
    contexts: 4, contextsWithCards: 3,
    openConvId, closedConvId, visitorIds: [visitorA, visitorB],
  }
}

/** Every form a seeded card number takes in the seeds: bare, spaced and dashed. */
export function cardForms(cards: readonly string[]): string[] {
  return cards.flatMap((c) => [c, spaced(c), c.replace(/(\d{4})(?=\d)/g, '$1-')])
}

/**
 * The bytes of the database and its WAL after a TRUNCATE checkpoint from a connection of the test's
 * own, as a latin1 string (each byte one character) to search for ASCII text.
 */
export function databaseBytes(file: string): string {
  const db = new Database(file)
  try {
    db.pragma('busy_timeout = 5000')
    db.pragma('wal_checkpoint(TRUNCATE)')
  } finally {
    db.close()
  }
  const wal = `${file}-wal`
  return readFileSync(file).toString('latin1') + (existsSync(wal) ? readFileSync(wal).toString('latin1') : '')
}

/** The search index's terms (its vocabulary), read with fts5vocab on a connection of the test's own. */
export function searchTerms(file: string): Set<string> {
  const db = new Database(file)
  try {
    db.exec("CREATE VIRTUAL TABLE temp.search_vocab USING fts5vocab(main, 'transcript_search', 'row')")
    return new Set(db.prepare<[], { term: string }>('SELECT term FROM temp.search_vocab').all().map((r) => r.term))
  } finally {
    db.close()
  }
}
