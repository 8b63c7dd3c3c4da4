import type Database from 'better-sqlite3'
import type { AppendRequest, AppendResult, ConversationRecord, MessageRecord } from '../store.js'
import { type ConversationRow, toConversation } from './rows.js'
import type { SenderKeys } from './senders.js'
import type { Indexed, UnindexedRows, UnindexedRow } from './unindexed-rows.js'
import { PairMap } from '../../pair-map.js'
import { BulkInsert } from './bulk.js'
import { needsMembership, writeRefusal } from '../../policy/conversation-policy.js'
import { createResponseWriter, createRoutingWriter } from './survey-rows.js'
import { createConsentedContext } from './consented-context.js'
import { createAttachmentBinder } from './attachment-binding.js'

// The group-commit body: many messages, one transaction. The rows go to the end of message_log and
// nothing else is written for them (see unindexed-rows.ts); what each message needs to know of its
// conversation comes from memory (ConversationCache), so a batch costs little more than its inserts.

/** What an append needs of a conversation, with its true last seq (indexed or not). */
interface ConvState {
  id: number
  visitorId: string
  status: 'open' | 'closed'
  lastSeq: number
  /** Whether each agent (sender key) has joined, as looked up so far. */
  agents: Map<number, boolean>
}

export const MAX_CACHED_CONVERSATIONS = 20_000

/**
 * The conversations appends have touched, kept between batches: reading a conversation's row for
 * every message cost more than inserting the message (measured, test/bench/README.md). The appender
 * is the only writer of a conversation's seq; every other change to a conversation or its
 * participants must `forget` it, and a batch that fails to commit clears the whole cache, since its
 * seqs and new conversations were never stored. Within a batch the cache also holds the seqs the
 * batch has given out so far, which no table or in-memory index knows yet: it is trimmed only between batches.
 */
export class ConversationCache {
  readonly #convs = new PairMap<string, string, ConvState>()

  get(brandId: string, convId: string): ConvState | undefined {
    return this.#convs.get(brandId, convId)
  }

  set(brandId: string, convId: string, c: ConvState): void {
    this.#convs.set(brandId, convId, c)
  }

  /**
   * Bounds the cache: past the limit it starts over, and the conversations still active are read
   * again. Call only before a batch: mid-batch, a conversation read again would not see the rows
   * the batch already added, and would give out their seqs a second time.
   */
  trim(): void {
    if (this.#convs.size >= MAX_CACHED_CONVERSATIONS) this.#convs.clear()
  }

  /** Drops a conversation whose row or participants changed outside an append. */
  forget(brandId: string, convId: string): void {
    this.#convs.delete(brandId, convId)
  }

  clear(): void {
    this.#convs.clear()
  }
}

/** What one batch produced: a result per request, the rows it added, and what it indexed. */
export interface AppendOutcome {
  results: AppendResult[]
  added: UnindexedRow[]
  indexed: Indexed
}

// Rows each commit writes into the index tables: twice what the batch adds, so the unindexed rows shrink
// whatever the load, and at least INDEX_MIN_ROWS so that quiet periods catch up; whole conversations
// only, and a conversation is indexed once it has many rows waiting (unindexed-rows.ts) or has waited
// INDEX_AFTER_MS. A budget in rows keeps each commit's share of the indexing, and so its time, even.
const INDEX_MIN_ROWS = 256
const INDEX_AFTER_MS = 2000

interface PriorRow { conv: number; seq: number; sender_name: string | null; text: string; at: number }

/** A row this batch added, found by its clientMsgId; `other` is one of another sender with the same id. */
interface BatchRow extends PriorRow { sender: number; other: BatchRow | undefined }

/**
 * A function that appends a batch inside the caller's transaction, which must be IMMEDIATE: the batch
 * gives its rows their ids from the table's last one, so it must hold the write lock from its start.
 */
export function createAppender(
  db: Database.Database, senders: SenderKeys, unindexed: UnindexedRows, cache: ConversationCache,
): (batch: readonly AppendRequest[]) => AppendOutcome {
  const q = {
    prior: db.prepare<[number, string], PriorRow>(`SELECT m.conv, m.seq, m.sender_name, m.text, m.at
      FROM message_by_client_id b JOIN message_log m ON m.id = b.id WHERE b.sender = ? AND b.client_msg_id = ?`),
    priorById: db.prepare<[number], PriorRow>('SELECT conv, seq, sender_name, text, at FROM message_log WHERE id = ?'),
    conv: db.prepare<[string, string], Pick<ConversationRow, 'id' | 'visitor_id' | 'status' | 'last_seq'>>(
      'SELECT id, visitor_id, status, last_seq FROM conversations WHERE brand_id = ? AND conv_id = ?'),
    insertConv: db.prepare(`INSERT INTO conversations (brand_id, conv_id, visitor_id, status, created_at, closed_at, last_seq, context, origin, contact, last_visitor_at)
      VALUES (?, ?, ?, 'open', ?, NULL, 0, ?, ?, ?, ?)`),
    join: db.prepare('INSERT INTO participants (conv, sender, joined_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING'),
    isParticipant: db.prepare<[number, number], { one: number }>('SELECT 1 AS one FROM participants WHERE conv = ? AND sender = ?'),
    lastId: db.prepare<[], { id: number }>('SELECT coalesce(max(id), 0) AS id FROM message_log'),
    // Without the id: SQLite then gives each row the table's last id + 1 without first looking the
    // id up, which a given id costs (2-3k instructions a message, test/bench/README.md).
    insert: new BulkInsert(db, 'INSERT INTO message_log (conv, seq, sender, client_msg_id, sender_name, text, at)', 7),
  }
  const writeResponse = createResponseWriter(db)
  // Only for a message that opens a conversation with an offline survey's answer (never the plain path).
  const setRouting = createRoutingWriter(db)
  const consentedContext = createConsentedContext(db)
  // Only for messages that carry attachments, and for duplicates (which may have carried some).
  const attachments = createAttachmentBinder(db)

  return (batch) => {
    cache.trim()
    // The batch's rows go in together at its end (bulk.ts), and SQLite numbers them on from the
    // table's last id; the batch holds the write lock from its start, so those ids are known here.
    const firstId = q.lastId.get()!.id + 1
    let nextId = firstId
    const rows: unknown[] = []
    const added: UnindexedRow[] = []
    // The batch's own rows by clientMsgId, each chained to an earlier one of another sender with the
    // same id: one map for the batch, where a map per sender made one map per message.
    const addedByClient = new Map<string, BatchRow>()
    const findPrior = (sender: number, clientMsgId: string): PriorRow | undefined => {
      for (let r = addedByClient.get(clientMsgId); r; r = r.other) if (r.sender === sender) return r
      const t = unindexed.find(sender, clientMsgId)
      return t ? q.priorById.get(t.id) : q.prior.get(sender, clientMsgId)
    }
    const load = (brandId: string, convId: string): ConvState | null => {
      const cached = cache.get(brandId, convId)
      if (cached) return cached
      const row = q.conv.get(brandId, convId)
      if (!row) return null
      const c: ConvState = {
        // The stored last_seq lags by what is not indexed yet; the in-memory index knows the rest.
        id: row.id, visitorId: row.visitor_id, status: row.status, lastSeq: Math.max(row.last_seq, unindexed.lastSeq(row.id)),
        agents: new Map(),
      }
      cache.set(brandId, convId, c)
      return c
    }

    const appendOne = (req: AppendRequest): AppendResult => {
      // Looked up, not created: a refused message must leave no trace, not even a sender row.
      let sender = senders.find(req.brandId, req.from.kind, req.from.id)
      let conv = load(req.brandId, req.convId)
      const prior = sender === undefined ? undefined : findPrior(sender, req.clientMsgId)
      if (prior) {
        if (!conv || prior.conv !== conv.id) return { ok: false, code: 'PARLEY_ERR_MESSAGE_ID_REUSED' }
        const from = prior.sender_name !== null ? { ...req.from, name: prior.sender_name } : { kind: req.from.kind, id: req.from.id }
        const message: MessageRecord = {
          brandId: req.brandId, convId: req.convId, seq: prior.seq, clientMsgId: req.clientMsgId, from, text: prior.text, at: prior.at,
        }
        const refs = attachments.of(req.brandId, req.convId, prior.seq)
        if (refs.length > 0) message.attachments = refs
        return { ok: true, message, duplicate: true, visitorId: conv.visitorId, opened: null }
      }
      // An agent who joined has a sender row (join creates it); one without a row never joined.
      let joined = false
      if (conv && needsMembership(req.from) && sender !== undefined) {
        const known = conv.agents.get(sender)
        if (known === undefined) conv.agents.set(sender, (joined = q.isParticipant.get(conv.id, sender) !== undefined))
        else joined = known
      }
      const refusal = writeRefusal(conv, req.from, joined)
      if (refusal) return { ok: false, code: refusal }
      // Checked before anything is written: a refused file refuses the whole message.
      const files = req.attachmentIds && req.attachmentIds.length > 0 ? attachments.check(req.brandId, req.from, req.attachmentIds) : null
      if (files && !files.ok) return { ok: false, code: files.code }
      let opened: ConversationRecord | null = null
      if (!conv) {
        // The policy let a visitor open a conversation by writing to a fresh id of their own choosing.
        const ctx = consentedContext(req.brandId, req.from.id, req.context)
        sender ??= senders.ensure(req.brandId, req.from.kind, req.from.id)
        const origin = req.contact ? 'offline' : 'chat'
        const contact = req.contact ? JSON.stringify({ name: req.contact.name, email: req.contact.email }) : null
        const id = Number(q.insertConv.run(req.brandId, req.convId, req.from.id, req.at, ctx, origin, contact, req.at).lastInsertRowid)
        q.join.run(id, sender, req.at)
        const row: ConversationRow = {
          id, brand_id: req.brandId, conv_id: req.convId, visitor_id: req.from.id, status: 'open',
          created_at: req.at, closed_at: null, last_seq: 0, context: ctx, assigned_agent: null, origin, contact,
        }
        if (req.routing && Object.keys(req.routing).length > 0) {
          Object.assign(row, setRouting(id, req.routing))
        }
        if (req.response) writeResponse(req.brandId, req.convId, req.clientMsgId, req.response)
        conv = { id, visitorId: req.from.id, status: 'open', lastSeq: 0, agents: new Map() }
        cache.set(req.brandId, req.convId, conv)
        opened = toConversation(row)
      }
      // A visitor writing to their own conversation opened it, so their sender row exists.
      sender ??= senders.ensure(req.brandId, req.from.kind, req.from.id)
      const seq = conv.lastSeq + 1
      const id = nextId++
      rows.push(conv.id, seq, sender, req.clientMsgId, req.from.name ?? null, req.text, req.at)
      conv.lastSeq = seq
      added.push({ id, conv: conv.id, seq, sender, clientMsgId: req.clientMsgId, visitorAt: req.from.kind === 'visitor' ? req.at : 0 })
      addedByClient.set(req.clientMsgId, {
        conv: conv.id, seq, sender_name: req.from.name ?? null, text: req.text, at: req.at, sender, other: addedByClient.get(req.clientMsgId),
      })
      if (opened) opened.lastSeq = seq
      const message: MessageRecord = {
        brandId: req.brandId, convId: req.convId, seq, clientMsgId: req.clientMsgId, from: req.from, text: req.text, at: req.at,
      }
      if (files) message.attachments = attachments.bind(req.brandId, req.convId, seq, files.records)
      return { ok: true, message, duplicate: false, visitorId: conv.visitorId, opened }
    }

    const results = batch.map(appendOne)
    const inserted = q.insert.run(rows)
    // Checked, not assumed: ids out of step would point the in-memory index at other rows. Throwing rolls the
    // batch back and nothing is acknowledged.
    if (inserted && Number(inserted.lastInsertRowid) !== nextId - 1) {
      throw new Error(`message_log ids out of step: expected ${firstId}..${nextId - 1}, last was ${inserted.lastInsertRowid}`)
    }
    return { results, added, indexed: unindexed.writeIndex(Math.max(INDEX_MIN_ROWS, 2 * batch.length), INDEX_AFTER_MS) }
  }
}
