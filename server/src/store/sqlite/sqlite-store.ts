import Database from 'better-sqlite3'
import type { ConversationListQuery, Participant, VisitorContext } from '@parley/sdk/contract'
import type {
  AgentRecord, AppendRequest, AppendResult, Brand, CloseResult, ConversationListing, ConversationRecord,
  MessageRecord, NewBrand, Store, VisitorRecord,
} from '../store.js'
import { migrate } from './migrations.js'
import {
  type AgentRow, type ConversationRow, type MessageRow, type VisitorRow,
  toAgent, toConversation, toMessage, toVisitor,
} from './rows.js'

/** How the SQLite store opens its file. */
export interface SqliteStoreOptions {
  /** Path of the database file (created if missing). */
  file: string
  /**
   * `FULL` (default) fsyncs the WAL on every commit: an acked message survives an OS crash or power
   * loss. `NORMAL` survives a relay crash (`kill -9`) but not an OS crash.
   */
  synchronous?: 'FULL' | 'NORMAL'
}

interface BrandRow { brand_id: string; name: string; site_key: string; created_at: number }

/**
 * The embedded store: one SQLite file in WAL mode. better-sqlite3 is synchronous, so each call runs
 * to completion on the caller's thread; the relay batches appends so one fsync covers many messages.
 */
export function createSqliteStore(opts: SqliteStoreOptions): Store {
  const db = new Database(opts.file)
  db.pragma('journal_mode = WAL')
  db.pragma(`synchronous = ${opts.synchronous ?? 'FULL'}`)
  db.pragma('foreign_keys = ON')
  // CLI commands may write while the relay runs; wait for the lock instead of failing.
  db.pragma('busy_timeout = 5000')
  migrate(db)

  const q = {
    brandById: db.prepare<[string], BrandRow>('SELECT * FROM brands WHERE brand_id = ?'),
    brandBySiteKey: db.prepare<[string], BrandRow>('SELECT * FROM brands WHERE site_key = ?'),
    brandByName: db.prepare<[string], BrandRow>('SELECT * FROM brands WHERE name = ? ORDER BY created_at LIMIT 1'),
    brandByKey: db.prepare<[string], BrandRow>(
      'SELECT b.* FROM api_keys k JOIN brands b ON b.brand_id = k.brand_id WHERE k.key_hash = ?'),
    origins: db.prepare<[string], { origin: string }>('SELECT origin FROM brand_origins WHERE brand_id = ? ORDER BY origin'),
    originAnywhere: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM brand_origins WHERE origin = ? LIMIT 1'),
    insertBrand: db.prepare('INSERT INTO brands (brand_id, name, site_key, created_at) VALUES (?, ?, ?, ?)'),
    insertOrigin: db.prepare('INSERT OR IGNORE INTO brand_origins (brand_id, origin) VALUES (?, ?)'),
    insertKey: db.prepare('INSERT INTO api_keys (key_hash, brand_id, created_at) VALUES (?, ?, ?)'),
    insertAgent: db.prepare(`INSERT INTO agents (brand_id, agent_id, email, name, password_hash, created_at)
      VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`),
    agent: db.prepare<[string, string], AgentRow>('SELECT * FROM agents WHERE brand_id = ? AND agent_id = ?'),
    agentByEmail: db.prepare<[string, string], AgentRow>('SELECT * FROM agents WHERE brand_id = ? AND email = ?'),
    upsertVisitor: db.prepare<[{ brand: string; visitor: string; at: number; gap: number; ctx: string | null }], VisitorRow>(`
      INSERT INTO visitors (brand_id, visitor_id, created_at, last_seen_at, visit_count, context)
      VALUES (@brand, @visitor, @at, @at, 1, @ctx)
      ON CONFLICT (brand_id, visitor_id) DO UPDATE SET
        visit_count = visit_count + (CASE WHEN @at - last_seen_at > @gap THEN 1 ELSE 0 END),
        last_seen_at = @at,
        context = coalesce(@ctx, context)
      RETURNING *`),
    conv: db.prepare<[string, string], ConversationRow>('SELECT * FROM conversations WHERE brand_id = ? AND conv_id = ?'),
    insertConv: db.prepare(`INSERT INTO conversations (brand_id, conv_id, visitor_id, status, created_at, closed_at, last_seq, context)
      VALUES (?, ?, ?, 'open', ?, NULL, 0, ?)`),
    bumpSeq: db.prepare('UPDATE conversations SET last_seq = ? WHERE brand_id = ? AND conv_id = ?'),
    closeConv: db.prepare(`UPDATE conversations SET status = 'closed', closed_at = ? WHERE brand_id = ? AND conv_id = ? AND status = 'open'`),
    visitorConvs: db.prepare<[string, string, number], ConversationRow>(`SELECT * FROM conversations
      WHERE brand_id = ? AND visitor_id = ? ORDER BY created_at DESC, conv_id DESC LIMIT ?`),
    agentConvs: db.prepare<[string, string, number], ConversationRow>(`SELECT c.* FROM participants p
      JOIN conversations c ON c.brand_id = p.brand_id AND c.conv_id = p.conv_id
      WHERE p.brand_id = ? AND p.kind = 'agent' AND p.participant_id = ? AND c.status = 'open'
      ORDER BY c.created_at DESC, c.conv_id DESC LIMIT ?`),
    join: db.prepare(`INSERT INTO participants (brand_id, conv_id, kind, participant_id, joined_at)
      VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`),
    participant: db.prepare<[string, string, string, string], { read_seq: number }>(`SELECT read_seq FROM participants
      WHERE brand_id = ? AND conv_id = ? AND kind = ? AND participant_id = ?`),
    markRead: db.prepare(`UPDATE participants SET read_seq = max(read_seq, ?)
      WHERE brand_id = ? AND conv_id = ? AND kind = ? AND participant_id = ?`),
    byClientId: db.prepare<[string, string, string, string], MessageRow>(`SELECT * FROM messages
      WHERE brand_id = ? AND sender_kind = ? AND sender_id = ? AND client_msg_id = ?`),
    insertMessage: db.prepare(`INSERT INTO messages (brand_id, conv_id, seq, client_msg_id, sender_kind, sender_id, sender_name, text, at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    readMessages: db.prepare<[string, string, number, number], MessageRow>(`SELECT * FROM messages
      WHERE brand_id = ? AND conv_id = ? AND seq > ? ORDER BY seq LIMIT ?`),
    ping: db.prepare('SELECT 1'),
  }

  function toBrand(r: BrandRow | undefined): Brand | null {
    if (!r) return null
    const allowedOrigins = q.origins.all(r.brand_id).map((o) => o.origin)
    return { brandId: r.brand_id, name: r.name, siteKey: r.site_key, allowedOrigins, createdAt: r.created_at }
  }

  // A visit is a new one after 30 minutes of silence, as web analytics count sessions.
  const VISIT_GAP_MS = 30 * 60 * 1000

  function appendOne(req: AppendRequest): AppendResult {
    const prior = q.byClientId.get(req.brandId, req.from.kind, req.from.id, req.clientMsgId)
    if (prior) {
      if (prior.conv_id !== req.convId) return { ok: false, code: 'PARLEY_ERR_MESSAGE_ID_REUSED' }
      const owner = q.conv.get(req.brandId, req.convId)!
      return { ok: true, message: toMessage(prior), duplicate: true, visitorId: owner.visitor_id, opened: null }
    }
    let conv = q.conv.get(req.brandId, req.convId)
    let opened: ConversationRecord | null = null
    if (!conv) {
      // Only a visitor opens a conversation, by writing to a fresh id of their own choosing.
      if (req.from.kind !== 'visitor') return { ok: false, code: 'PARLEY_ERR_CONV_NOT_FOUND' }
      const ctx = req.context ? JSON.stringify(req.context) : null
      q.insertConv.run(req.brandId, req.convId, req.from.id, req.at, ctx)
      q.join.run(req.brandId, req.convId, 'visitor', req.from.id, req.at)
      conv = q.conv.get(req.brandId, req.convId)!
      opened = toConversation(conv)
    } else if (req.from.kind === 'visitor') {
      // Another visitor's conversation is indistinguishable from one that does not exist.
      if (conv.visitor_id !== req.from.id) return { ok: false, code: 'PARLEY_ERR_CONV_NOT_FOUND' }
    } else if (!q.participant.get(req.brandId, req.convId, 'agent', req.from.id)) {
      return { ok: false, code: 'PARLEY_ERR_CONV_NOT_JOINED' }
    }
    if (conv.status === 'closed') return { ok: false, code: 'PARLEY_ERR_CONV_CLOSED' }
    const seq = conv.last_seq + 1
    q.insertMessage.run(req.brandId, req.convId, seq, req.clientMsgId, req.from.kind, req.from.id,
      req.from.name ?? null, req.text, req.at)
    q.bumpSeq.run(seq, req.brandId, req.convId)
    if (opened) opened.lastSeq = seq
    const message: MessageRecord = {
      brandId: req.brandId, convId: req.convId, seq, clientMsgId: req.clientMsgId, from: req.from, text: req.text, at: req.at,
    }
    return { ok: true, message, duplicate: false, visitorId: conv.visitor_id, opened }
  }

  const appendBatch = db.transaction((batch: readonly AppendRequest[]) => batch.map(appendOne))

  const createBrandTx = db.transaction((b: NewBrand) => {
    q.insertBrand.run(b.brandId, b.name, b.siteKey, b.createdAt)
    for (const origin of b.allowedOrigins) q.insertOrigin.run(b.brandId, origin)
    q.insertKey.run(b.apiKeyHash, b.brandId, b.createdAt)
  })

  const closeTx = db.transaction((brandId: string, convId: string, by: Participant, at: number): CloseResult => {
    const conv = q.conv.get(brandId, convId)
    if (!conv || (by.kind === 'visitor' && conv.visitor_id !== by.id)) return { ok: false, code: 'PARLEY_ERR_CONV_NOT_FOUND' }
    if (by.kind === 'agent' && !q.participant.get(brandId, convId, 'agent', by.id)) return { ok: false, code: 'PARLEY_ERR_CONV_NOT_JOINED' }
    const changed = q.closeConv.run(at, brandId, convId).changes > 0
    return { ok: true, conversation: toConversation(q.conv.get(brandId, convId)!), alreadyClosed: !changed }
  })

  const joinTx = db.transaction((brandId: string, convId: string, agentId: string, at: number) => {
    const conv = q.conv.get(brandId, convId)
    if (!conv) return null
    q.join.run(brandId, convId, 'agent', agentId, at)
    return toConversation(conv)
  })

  const listConversations = (brandId: string, query: ConversationListQuery): ConversationListing => {
    const limit = query.limit ?? 50
    const where = ['brand_id = ?']
    const args: (string | number)[] = [brandId]
    if (query.status) { where.push('status = ?'); args.push(query.status) }
    if (query.visitorId) { where.push('visitor_id = ?'); args.push(query.visitorId) }
    const cursor = query.before ? parseCursor(query.before) : null
    if (cursor) {
      where.push('(created_at < ? OR (created_at = ? AND conv_id < ?))')
      args.push(cursor.createdAt, cursor.createdAt, cursor.convId)
    }
    const rows = db.prepare<(string | number)[], ConversationRow>(`SELECT * FROM conversations WHERE ${where.join(' AND ')}
      ORDER BY created_at DESC, conv_id DESC LIMIT ${limit + 1}`).all(...args)
    const page = rows.slice(0, limit).map(toConversation)
    const last = page[page.length - 1]
    return { conversations: page, next: rows.length > limit && last ? `${last.createdAt}.${last.convId}` : null }
  }

  return {
    async createBrand(b) {
      createBrandTx.immediate(b)
      return toBrand(q.brandById.get(b.brandId))!
    },
    async getBrand(brandId) { return toBrand(q.brandById.get(brandId)) },
    async getBrandBySiteKey(siteKey) { return toBrand(q.brandBySiteKey.get(siteKey)) },
    async getBrandByApiKeyHash(keyHash) { return toBrand(q.brandByKey.get(keyHash)) },
    async findBrandByName(name) { return toBrand(q.brandByName.get(name)) },
    async isOriginAllowedAnywhere(origin) { return q.originAnywhere.get(origin) !== undefined },

    async createAgent(a: AgentRecord) {
      const info = q.insertAgent.run(a.brandId, a.agentId, a.email, a.name, a.passwordHash, a.createdAt)
      return info.changes > 0 ? a : null
    },
    async getAgent(brandId, agentId) { const r = q.agent.get(brandId, agentId); return r ? toAgent(r) : null },
    async getAgentByEmail(brandId, email) { const r = q.agentByEmail.get(brandId, email); return r ? toAgent(r) : null },

    async recordVisit(brandId, visitorId, context: VisitorContext | null, at): Promise<VisitorRecord> {
      return toVisitor(q.upsertVisitor.get({ brand: brandId, visitor: visitorId, at, gap: VISIT_GAP_MS, ctx: context ? JSON.stringify(context) : null })!)
    },

    async getConversation(brandId, convId) { const r = q.conv.get(brandId, convId); return r ? toConversation(r) : null },
    async listParticipantConversations(brandId, who, limit) {
      const rows = who.kind === 'visitor' ? q.visitorConvs.all(brandId, who.id, limit) : q.agentConvs.all(brandId, who.id, limit)
      return rows.map(toConversation)
    },
    async listConversations(brandId, query) { return listConversations(brandId, query) },
    async joinConversation(brandId, convId, agentId, at) { return joinTx.immediate(brandId, convId, agentId, at) },
    async isParticipant(brandId, convId, who) { return q.participant.get(brandId, convId, who.kind, who.id) !== undefined },
    async closeConversation(brandId, convId, by, at) { return closeTx.immediate(brandId, convId, by, at) },
    async markRead(brandId, convId, who, seq) {
      q.markRead.run(seq, brandId, convId, who.kind, who.id)
      return q.participant.get(brandId, convId, who.kind, who.id)?.read_seq ?? 0
    },

    async appendMessages(batch) { return appendBatch.immediate(batch) },
    async readMessages(brandId, convId, afterSeq, limit) {
      return q.readMessages.all(brandId, convId, afterSeq, limit).map(toMessage)
    },

    async ping() { q.ping.get() },
    async close() { if (db.open) db.close() },
  }
}

function parseCursor(s: string): { createdAt: number; convId: string } | null {
  const dot = s.indexOf('.')
  const createdAt = Number(s.slice(0, dot))
  if (dot < 1 || !Number.isSafeInteger(createdAt)) return null
  return { createdAt, convId: s.slice(dot + 1) }
}
