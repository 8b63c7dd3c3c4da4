import Database from 'better-sqlite3'
import { pendingVisitorData } from '../visitor-data-pending.js'
import { createLedgerMarks } from './ledger-marks.js'
import { DEFAULT_AGENT_CAPACITY, isBlankText, messagePreview } from '@parley/sdk/contract'
import type { BusinessHours, MaskingConfig, RulesConfig, Participant, VisitorContext, WidgetConfig } from '@parley/sdk/contract'
import type {
  AssignResult, Brand, BrandUpdate, CloseResult, ConversationRecord, NewBrand, Redaction, Store, VisitorRecord,
} from '../store.js'
import { createConversationListing } from './conversation-listing.js'
import { migrate } from './migrations.js'
import { applyConnectionPragmas, CHECKPOINT_INTERVAL_MS, type CheckpointMode } from './connection-pragmas.js'
import {
  type AgentRow, type ConversationRow, type MessageRow, type VisitorRow,
  toAgent, toConversation, toMessage, toVisitor,
} from './rows.js'
import { factsOf } from '../conversation-columns.js'
import { createSenderKeys } from './senders.js'
import { type AppendOutcome, ConversationCache, createAppender } from './append.js'
import { UnindexedRows } from './unindexed-rows.js'
import { createMaskingRuns } from './masking-runs.js'
import { assignRefusal, closeRefusal, maySee, needsMembership } from '../../policy/conversation-policy.js'
import { createIdempotencyKeys } from './idempotency-keys.js'
import { createAgentAvailability } from './agent-availability.js'
import { createSurveyStore } from './surveys.js'
import { createConversationAgents } from './conversation-agents.js'
import { createRuleStats } from './rule-stats.js'
import { createReports } from './reports.js'
import { createRoutingStore } from './routing.js'
import { createWaiting } from './waiting.js'
import { createAgentSettings } from './agent-settings.js'
import { createCannedReplies } from './canned-replies.js'
import { createNotes } from './notes.js'
import { createAttachments, createMessageAttachments } from './attachments.js'
import { createApiKeys } from './api-keys.js'
import { bootstrapKey } from '../bootstrap-key.js'
import { createAgentSessions } from './agent-sessions.js'
import { createAgentAccess } from './agent-access.js'
import { createAgentPasswords } from './agent-passwords.js'
import { createAudit } from './audit.js'
import { createSecurityConfig } from './security-config.js'
import { createErasureRequests } from './erasure-requests.js'
import { createIdentitySecrets } from './identity-secrets.js'
import { createCustomers } from './customers.js'
import { createRevokedTokenIds } from './revoked-token-ids.js'
import { createWebhooks } from './webhooks.js'
import { createVisitorRecords } from './visitor-records.js'
import { createVisitorErasure } from './visitor-erasure.js'
import { createVisitorCorrections } from './visitor-corrections.js'
import { withoutBehaviour } from '../behavioural-context.js'
import { createRetention } from './retention.js'

/** How the SQLite store opens its file. */
export interface SqliteStoreOptions {
  /** Path of the database file (created if missing). */
  file: string
  /**
   * `FULL` (default) fsyncs the WAL on every commit: an acked message survives an OS crash or power
   * loss. `NORMAL` survives a relay crash (`kill -9`) but not an OS crash.
   */
  synchronous?: 'FULL' | 'NORMAL'
  /**
   * `auto` (default): SQLite checkpoints the WAL inside commits. `between-commits`: this connection
   * checkpoints on a timer (`checkpointIntervalMs`), which runs between two commits on the caller's
   * thread, never inside one or between a commit and the answers sent after it. `external`: another
   * connection does it (the worker store's checkpointer thread), so commits never wait for one.
   */
  checkpoint?: CheckpointMode
  /** With `checkpoint: 'between-commits'`: how often (default 250 ms). */
  checkpointIntervalMs?: number
  /**
   * `relay` (default) stores messages. `admin` (the CLI's brand and agent commands, which may run
   * while a relay has the file open) manages brands and agents only: it neither reads back nor indexes
   * the relay's unindexed messages, and refuses to append.
   */
  role?: 'relay' | 'admin'
  /**
   * With `checkpoint: 'external'`: an Int32 the checkpointer thread bumps after each round that
   * copied every WAL frame it saw (checkpointer.ts). The store then checkpoints the rest itself
   * between commits, which lets its next commit start the WAL over.
   */
  checkpointCaughtUp?: SharedArrayBuffer
}

interface BrandRow { brand_id: string; name: string; site_key: string; created_at: number }

/**
 * The embedded store: one SQLite file in WAL mode. better-sqlite3 is synchronous, so each call runs
 * to completion on the caller's thread; the relay batches appends so one fsync covers many messages.
 */
export function createSqliteStore(opts: SqliteStoreOptions): Store {
  const db = new Database(opts.file)
  applyConnectionPragmas(db, { synchronous: opts.synchronous ?? 'FULL', checkpoint: opts.checkpoint ?? 'auto' })
  migrate(db)

  const senders = createSenderKeys(db)
  const maskingRuns = createMaskingRuns(db)
  const admin = opts.role === 'admin'
  const unindexed = new UnindexedRows(db, { readBack: !admin })
  const q = {
    brandById: db.prepare<[string], BrandRow>('SELECT * FROM brands WHERE brand_id = ?'),
    brandBySiteKey: db.prepare<[string], BrandRow>('SELECT * FROM brands WHERE site_key = ?'),
    origins: db.prepare<[string], { origin: string }>('SELECT origin FROM brand_origins WHERE brand_id = ? ORDER BY origin'),
    originAnywhere: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM brand_origins WHERE origin = ? LIMIT 1'),
    insertBrand: db.prepare('INSERT INTO brands (brand_id, name, site_key, created_at) VALUES (?, ?, ?, ?)'),
    insertOrigin: db.prepare('INSERT OR IGNORE INTO brand_origins (brand_id, origin) VALUES (?, ?)'),
    renameBrand: db.prepare('UPDATE brands SET name = ? WHERE brand_id = ?'),
    deleteOrigins: db.prepare('DELETE FROM brand_origins WHERE brand_id = ?'),
    insertAgent: db.prepare(`INSERT INTO agents (brand_id, agent_id, email, name, password_hash, created_at, role)
      VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`),
    agent: db.prepare<[string, string], AgentRow>('SELECT * FROM agents WHERE brand_id = ? AND agent_id = ?'),
    agentByEmail: db.prepare<[string, string], AgentRow>('SELECT * FROM agents WHERE brand_id = ? AND email = ?'),
    agents: db.prepare<[string, number], AgentRow>('SELECT * FROM agents WHERE brand_id = ? ORDER BY name, agent_id LIMIT ?'),
    // A visitor who denied consent to tracking (recordConsent) has no visits counted and keeps no
    // behavioural value: `bare` is the context without them.
    // `counted` 0: the tracking policy refused this visit (DNT, GPC, opt-in without a grant).
    upsertVisitor: db.prepare<[{ brand: string; visitor: string; at: number; gap: number; ctx: string | null; bare: string | null; counted: number }], VisitorRow>(`
      INSERT INTO visitors (brand_id, visitor_id, created_at, last_seen_at, visit_count, context)
      VALUES (@brand, @visitor, @at, @at, @counted, @ctx)
      ON CONFLICT (brand_id, visitor_id) DO UPDATE SET
        visit_count = visit_count + (CASE WHEN @counted = 1 AND consent IS NOT 'denied' AND @at - last_seen_at > @gap THEN 1 ELSE 0 END),
        last_seen_at = @at,
        context = CASE WHEN consent IS 'denied' THEN coalesce(@bare, context) ELSE coalesce(@ctx, context) END
      RETURNING *`),
    conv: db.prepare<[string, string], ConversationRow>('SELECT * FROM conversations WHERE brand_id = ? AND conv_id = ?'),
    closeConv: db.prepare(`UPDATE conversations SET status = 'closed', closed_at = ? WHERE id = ? AND status = 'open'`),
    convById: db.prepare<[number], ConversationRow>('SELECT * FROM conversations WHERE id = ?'),
    visitorConvs: db.prepare<[string, string, number, number, string, number], ConversationRow>(`SELECT * FROM conversations
      WHERE brand_id = ? AND visitor_id = ? AND (created_at < ? OR (created_at = ? AND conv_id < ?))
      ORDER BY created_at DESC, conv_id DESC LIMIT ?`),
    agentConvs: db.prepare<[number, number, number, string, number], ConversationRow>(`SELECT c.* FROM participants p
      JOIN conversations c ON c.id = p.conv
      WHERE p.sender = ? AND c.status = 'open' AND (c.created_at < ? OR (c.created_at = ? AND c.conv_id < ?))
      ORDER BY c.created_at DESC, c.conv_id DESC LIMIT ?`),
    join: db.prepare('INSERT INTO participants (conv, sender, joined_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING'),
    leave: db.prepare('DELETE FROM participants WHERE conv = ? AND sender = ?'),
    participant: db.prepare<[number, number], { read_seq: number }>('SELECT read_seq FROM participants WHERE conv = ? AND sender = ?'),
    markRead: db.prepare('UPDATE participants SET read_seq = max(read_seq, ?) WHERE conv = ? AND sender = ?'),
    readMessages: db.prepare<[number, number, number], MessageRow>(`SELECT m.id, m.seq, m.client_msg_id, s.kind AS sender_kind,
      s.ext_id AS sender_id, m.sender_name, m.text, m.at
      FROM message_by_seq b JOIN message_log m ON m.id = b.id JOIN senders s ON s.id = m.sender
      WHERE b.conv = ? AND b.seq > ? ORDER BY b.seq LIMIT ?`),
    assign: db.prepare('UPDATE conversations SET assigned_agent = ?, assigned_at = ? WHERE id = ?'),
    // Taken from the queue (nobody held it): the end of a wait, as recentWaits counts them.
    take: db.prepare('UPDATE conversations SET assigned_agent = ?, assigned_at = ?, taken_at = ? WHERE id = ?'),
    queue: db.prepare<[string, number, number, string, number], ConversationRow>(`SELECT * FROM conversations
      WHERE brand_id = ? AND status = 'open' AND assigned_agent IS NULL AND (created_at > ? OR (created_at = ? AND conv_id > ?))
      ORDER BY created_at, conv_id LIMIT ?`),
    queueNewest: db.prepare<[string, number, number, string, number], ConversationRow>(`SELECT * FROM conversations
      WHERE brand_id = ? AND status = 'open' AND assigned_agent IS NULL AND (created_at < ? OR (created_at = ? AND conv_id < ?))
      ORDER BY created_at DESC, conv_id DESC LIMIT ?`),
    // Highest priority first, then the longest waiting; a page starts past (priority, created_at, conv_id).
    queuePriority: db.prepare<[string, number, number, number, number, string, number], ConversationRow>(`SELECT * FROM conversations
      WHERE brand_id = ? AND status = 'open' AND assigned_agent IS NULL
        AND (priority < ? OR (priority = ? AND (created_at > ? OR (created_at = ? AND conv_id > ?))))
      ORDER BY priority DESC, created_at, conv_id LIMIT ?`),
    queueCount: db.prepare<[string], { n: number }>(`SELECT count(*) AS n FROM conversations
      WHERE brand_id = ? AND status = 'open' AND assigned_agent IS NULL`),
    visitorContext: db.prepare<[string, string, string, string, string, string], ConversationRow>(`UPDATE conversations
      SET context = CASE WHEN (SELECT consent FROM visitors WHERE brand_id = ? AND visitor_id = ?) IS 'denied' THEN ? ELSE ? END
      WHERE brand_id = ? AND visitor_id = ? AND status = 'open' RETURNING *`),
    widgetConfig: db.prepare<[string], { widget_config: string | null }>('SELECT widget_config FROM brands WHERE brand_id = ?'),
    setWidgetConfig: db.prepare('UPDATE brands SET widget_config = ? WHERE brand_id = ?'),
    maskingConfig: db.prepare<[string], { masking_config: string | null }>('SELECT masking_config FROM brands WHERE brand_id = ?'),
    setMaskingConfig: db.prepare('UPDATE brands SET masking_config = ? WHERE brand_id = ?'),
    rulesConfig: db.prepare<[string], { rules_config: string | null }>('SELECT rules_config FROM brands WHERE brand_id = ?'),
    setRulesConfig: db.prepare('UPDATE brands SET rules_config = ? WHERE brand_id = ?'),
    businessHours: db.prepare<[string], { business_hours: string | null }>('SELECT business_hours FROM brands WHERE brand_id = ?'),
    setBusinessHours: db.prepare('UPDATE brands SET business_hours = ? WHERE brand_id = ?'),
    indexTranscript: db.prepare('INSERT INTO transcript_search (rowid, text, conv) VALUES (?, ?, ?)'),
    idBySeq: db.prepare<[number, number], { id: number }>('SELECT id FROM message_by_seq WHERE conv = ? AND seq = ?'),
    redactLog: db.prepare('UPDATE message_log SET text = ? WHERE id = ?'),
    redactLogIf: db.prepare('UPDATE message_log SET text = ? WHERE id = ? AND text = ?'),
    redactSearch: db.prepare('UPDATE transcript_search SET text = ? WHERE rowid = ?'),
    /** One row of message_log, for messages the in-memory index knows only by id. */
    messageById: db.prepare<[number], MessageRow>(`SELECT m.id, m.seq, m.client_msg_id, s.kind AS sender_kind,
      s.ext_id AS sender_id, m.sender_name, m.text, m.at FROM message_log m JOIN senders s ON s.id = m.sender WHERE m.id = ?`),
    /** A real commit: only a write finds a full disk (reads and rolled-back writes never touch the file). */
    writeProbe: db.prepare("INSERT INTO store_state (key, value) VALUES ('write_probe', 1) ON CONFLICT (key) DO UPDATE SET value = value + 1"),
  }

  /** The preview of a conversation's first message: its text, or the names of its files when it holds only files. */
  function firstPreview(r: ConversationRow): string {
    const first = readRows(r.id, 0, 1)[0]
    if (!first) return ''
    return messagePreview(first.text, isBlankText(first.text) ? messageAttachments.range(r.brand_id, r.conv_id, first.seq, first.seq).get(first.seq) : [])
  }

  /** Messages of conversation row `conv` after `afterSeq`: indexed rows first, then the unindexed rows'. */
  function readRows(conv: number, afterSeq: number, limit: number): MessageRow[] {
    const rows = q.readMessages.all(conv, afterSeq, limit)
    const from = rows.length > 0 ? rows[rows.length - 1]!.seq : afterSeq
    if (rows.length < limit) {
      for (const t of unindexed.after(conv, from)) {
        if (rows.length >= limit) break
        rows.push(q.messageById.get(t.id)!)
      }
    }
    return rows
  }

  function toBrand(r: BrandRow | undefined): Brand | null {
    if (!r) return null
    const allowedOrigins = q.origins.all(r.brand_id).map((o) => o.origin)
    return { brandId: r.brand_id, name: r.name, siteKey: r.site_key, allowedOrigins, createdAt: r.created_at }
  }

  // A visit is a new one after 30 minutes of silence, as web analytics count sessions.
  const VISIT_GAP_MS = 30 * 60 * 1000

  /** Whether an agent has a participant row in the conversation row `conv` (false for visitors, who have none to check). */
  function joined(conv: ConversationRow, who: Participant): boolean {
    if (!needsMembership(who)) return false
    const sender = senders.find(conv.brand_id, 'agent', who.id)
    return sender !== undefined && q.participant.get(conv.id, sender) !== undefined
  }

  // Every change below to a conversation's status or participants forgets it here (append.ts).
  const convCache = new ConversationCache()
  const messageAttachments = createMessageAttachments(db)
  const appendBatch = senders.transaction(createAppender(db, senders, unindexed, convCache))

  /** A conversation record whose lastSeq includes messages not indexed yet. */
  const conversation = (r: ConversationRow): ConversationRecord => {
    const c = toConversation(r)
    c.lastSeq = Math.max(c.lastSeq, unindexed.lastSeq(r.id))
    return c
  }

  // Each commit indexes a few conversations (append.ts); when appends pause, index the rest, so the
  // unindexed rows stay small and a restart has little to read back.
  const IDLE_INDEX_MS = 500
  let lastAppend = 0
  const indexAll = db.transaction(() => unindexed.writeIndex(Infinity))
  const indexRest = () => unindexed.forget(indexAll.immediate())
  const indexTimer = setInterval(() => {
    // A failed index write changes nothing on disk; the rows stay in memory and the next commit retries.
    if (unindexed.size > 0 && Date.now() - lastAppend >= IDLE_INDEX_MS) try { indexRest() } catch { /* retried later */ }
  }, IDLE_INDEX_MS)
  indexTimer.unref()

  /**
   * Copies what it can of the WAL, outside any transaction. Busy (another connection holds the file)
   * or closed: the next round tries again.
   */
  function checkpointPassive(): void {
    if (db.open && !db.inTransaction) try { db.pragma('wal_checkpoint(PASSIVE)') } catch { /* next round */ }
  }

  // With no other writer, a checkpoint here copies every frame and the next commit rewinds the WAL.
  // better-sqlite3 runs each commit to its end in one call, so a timer never fires inside one.
  const checkpointTimer = opts.checkpoint === 'between-commits'
    ? setInterval(checkpointPassive, opts.checkpointIntervalMs ?? CHECKPOINT_INTERVAL_MS)
    : null
  checkpointTimer?.unref()

  // With `external`: the checkpointer thread copies the bulk of the WAL; when it has caught up, the
  // last few frames are copied here, after the answers of the current batch have gone out
  // (setImmediate), outside any transaction, so the next commit rewinds the WAL instead of appending
  // to it (checkpointer.ts).
  const caughtUp = opts.checkpointCaughtUp ? new Int32Array(opts.checkpointCaughtUp) : null
  let seenRounds = caughtUp ? Atomics.load(caughtUp, 0) : 0
  function finishCheckpoint(): void {
    const rounds = caughtUp ? Atomics.load(caughtUp, 0) : seenRounds
    if (rounds === seenRounds) return
    seenRounds = rounds
    setImmediate(checkpointPassive)
  }

  const { insert: insertKey, ...apiKeys } = createApiKeys(db)
  const { revokeWorking, ...sessions } = createAgentSessions(db)

  const createBrandTx = db.transaction((b: NewBrand) => {
    q.insertBrand.run(b.brandId, b.name, b.siteKey, b.createdAt)
    for (const origin of b.allowedOrigins) q.insertOrigin.run(b.brandId, origin)
    insertKey(bootstrapKey(b))
  })

  const updateBrandTx = db.transaction((brandId: string, u: BrandUpdate): Brand | null => {
    if (!q.brandById.get(brandId)) return null
    if (u.name !== undefined) q.renameBrand.run(u.name, brandId)
    if (u.allowedOrigins !== undefined) {
      q.deleteOrigins.run(brandId)
      for (const origin of u.allowedOrigins) q.insertOrigin.run(brandId, origin)
    }
    return toBrand(q.brandById.get(brandId))
  })

  /** Closes an open conversation row inside the caller's transaction; false when it was closed already. */
  function closeRow(conv: ConversationRow, at: number): boolean {
    const changed = q.closeConv.run(at, conv.id).changes > 0
    convCache.forget(conv.brand_id, conv.conv_id)
    // A closed transcript no longer changes: index it for search now, off the message path.
    if (changed) for (const m of readRows(conv.id, 0, Number.MAX_SAFE_INTEGER)) q.indexTranscript.run(m.id, m.text, conv.id)
    return changed
  }

  const closeTx = db.transaction((brandId: string, convId: string, by: Participant, at: number): CloseResult => {
    const conv = q.conv.get(brandId, convId)
    const refusal = closeRefusal(conv ? factsOf(conv) : null, by, !!conv && joined(conv, by))
    if (refusal || !conv) return { ok: false, code: refusal ?? 'PARLEY_ERR_CONV_NOT_FOUND' }
    const changed = closeRow(conv, at)
    return { ok: true, conversation: conversation(q.convById.get(conv.id)!), alreadyClosed: !changed }
  })

  const redactTx = db.transaction((brandId: string, redactions: readonly Redaction[]): Redaction[] => {
    const applied: Redaction[] = []
    for (const r of redactions) {
      const conv = q.conv.get(brandId, r.convId)
      if (!conv) continue
      // Indexed rows are found on disk, the newest ones in memory (unindexed-rows.ts), which holds
      // their keys but never their text: the message_log row is the one copy to rewrite.
      const id = q.idBySeq.get(conv.id, r.seq)?.id ?? unindexed.after(conv.id, r.seq - 1).find((t) => t.seq === r.seq)?.id
      if (id === undefined) continue
      // A row rewritten since the caller read it (a masking run) is left as it is.
      const written = r.ifText === undefined ? q.redactLog.run(r.text, id) : q.redactLogIf.run(r.text, id, r.ifText)
      if (written.changes === 0) continue
      // Only closed conversations are in the search index; open ones are searched in message_log itself
      // (open-transcript-search.ts), so the rewrite above is all they need.
      q.redactSearch.run(r.text, id)
      applied.push({ convId: r.convId, seq: r.seq, text: r.text })
    }
    return applied
  })

  const assignTx = senders.transaction((brandId: string, convId: string, agentId: string, at: number, onlyIfWaiting: boolean, leaving: string | null): AssignResult => {
    const conv = q.conv.get(brandId, convId)
    const known = conv !== undefined && q.agent.get(brandId, agentId) !== undefined
    const refusal = assignRefusal(conv ? factsOf(conv) : null, { id: agentId, known }, onlyIfWaiting)
    if (refusal || !conv) return { ok: false, code: refusal ?? 'PARLEY_ERR_CONV_NOT_FOUND' }
    const changed = conv.assigned_agent !== agentId
    convCache.forget(brandId, convId)
    if (changed && conv.assigned_agent === null) q.take.run(agentId, at, at, conv.id)
    else if (changed) q.assign.run(agentId, at, conv.id)
    q.join.run(conv.id, senders.ensure(brandId, 'agent', agentId), at)
    const leaver = leaving !== null && leaving !== agentId ? senders.find(brandId, 'agent', leaving) : undefined
    if (leaver !== undefined) q.leave.run(conv.id, leaver)
    return { ok: true, conversation: conversation(q.convById.get(conv.id)!), changed }
  })

  const joinTx = senders.transaction((brandId: string, convId: string, agentId: string, at: number) => {
    const conv = q.conv.get(brandId, convId)
    if (!conv) return null
    const sender = senders.ensure(brandId, 'agent', agentId)
    convCache.forget(brandId, convId)
    q.join.run(conv.id, sender, at)
    const visitor = senders.find(brandId, 'visitor', conv.visitor_id)
    return {
      ...conversation(conv),
      readSeq: q.participant.get(conv.id, sender)?.read_seq ?? 0,
      visitorReadSeq: visitor === undefined ? 0 : q.participant.get(conv.id, visitor)?.read_seq ?? 0,
    }
  })

  const listConversations = createConversationListing(db, {
    senders, firstPreview, conversation, unindexedConvsOf: (sender) => unindexed.convsOfSender(sender),
    unindexed: { ids: (conv) => unindexed.after(conv, 0).map((t) => t.id), count: (conv) => unindexed.count(conv) },
  })

  return {
    async createBrand(b) {
      createBrandTx.immediate(b)
      return toBrand(q.brandById.get(b.brandId))!
    },
    async getBrand(brandId) { return toBrand(q.brandById.get(brandId)) },
    async getBrandBySiteKey(siteKey) { return toBrand(q.brandBySiteKey.get(siteKey)) },
    async isOriginAllowedAnywhere(origin) { return q.originAnywhere.get(origin) !== undefined },
    async updateBrand(brandId, update) { return updateBrandTx.immediate(brandId, update) },
    ...createIdempotencyKeys(db),
    ...createAgentAvailability(db),
    ...createRuleStats(db),
    ...createSurveyStore(db, { senders, conversation }),
    ...createConversationAgents(db),
    ...createReports(db, (conv) => unindexed.after(conv, 0)),
    ...createRoutingStore(db, { senders, conversation, forget: (b, c) => convCache.forget(b, c) }),
    ...createWaiting(db, { lastVisitorAt: (conv) => unindexed.lastVisitorAt(conv), closeRow, conversation }),
    ...createAgentSettings(db),
    ...createCannedReplies(db),
    ...createNotes(db),
    ...createAttachments(db),
    ...createAgentAccess(db, revokeWorking),
    ...createAgentPasswords(db),
    ...sessions,
    ...apiKeys,
    ...createAudit(db),
    ...createSecurityConfig(db),
    ...createIdentitySecrets(db),
    ...createCustomers(db, { senders, unindexed, forgetConversation: (b, c) => convCache.forget(b, c) }),
    ...createRevokedTokenIds(db),
    ...pendingVisitorData('sqlite'),
    ...createWebhooks(db),
    ...createErasureRequests(db),
    ...createVisitorRecords(db, { conversation }),
    ...createVisitorErasure(db, { unindexed, forgetConversation: (b, c) => convCache.forget(b, c) }),
    ...createVisitorCorrections(db),
    ...createRetention(db),
    ...createLedgerMarks(db),

    async createAgent(a) {
      const info = q.insertAgent.run(a.brandId, a.agentId, a.email, a.name, a.passwordHash, a.createdAt, a.role ?? 'agent')
      return info.changes > 0 ? { ...a, capacity: DEFAULT_AGENT_CAPACITY, skills: [], role: a.role ?? 'agent', active: true } : null
    },
    async getAgent(brandId, agentId) { const r = q.agent.get(brandId, agentId); return r ? toAgent(r) : null },
    async getAgentByEmail(brandId, email) { const r = q.agentByEmail.get(brandId, email); return r ? toAgent(r) : null },
    async listAgents(brandId, limit) { return q.agents.all(brandId, limit).map(toAgent) },

    async recordVisit(brandId, visitorId, context: VisitorContext | null, at, opts): Promise<VisitorRecord> {
      const ctx = context ? JSON.stringify(context) : null
      const bare = context ? JSON.stringify(withoutBehaviour(context)) : null
      const counted = opts?.counted === false ? 0 : 1
      return toVisitor(q.upsertVisitor.get({ brand: brandId, visitor: visitorId, at, gap: VISIT_GAP_MS, ctx, bare, counted })!)
    },

    async getConversation(brandId, convId) { const r = q.conv.get(brandId, convId); return r ? conversation(r) : null },
    async listParticipantConversations(brandId, who, limit, before) {
      // No position: start past the newest possible one.
      const at = before?.createdAt ?? Number.MAX_SAFE_INTEGER
      const id = before?.convId ?? '\uffff'
      if (who.kind === 'visitor') return q.visitorConvs.all(brandId, who.id, at, at, id, limit).map(conversation)
      const sender = senders.find(brandId, 'agent', who.id)
      return sender === undefined ? [] : q.agentConvs.all(sender, at, at, id, limit).map(conversation)
    },
    async listConversations(brandId, query) { return listConversations(brandId, query) },
    async joinConversation(brandId, convId, agentId, at) { return joinTx(brandId, convId, agentId, at) },
    async isParticipant(brandId, convId, who) {
      const conv = q.conv.get(brandId, convId)
      return conv !== undefined && maySee(factsOf(conv), who, joined(conv, who))
    },
    async closeConversation(brandId, convId, by, at) { return closeTx.immediate(brandId, convId, by, at) },
    async assignConversation(brandId, convId, agentId, at, opts) {
      return assignTx(brandId, convId, agentId, at, opts.onlyIfWaiting, opts.leaving ?? null)
    },
    async countQueue(brandId) {
      return q.queueCount.get(brandId)!.n
    },
    async listQueue(brandId, limit, page) {
      const newest = page?.order === 'newest'
      const after = page?.after
      // No position: start above the highest priority (3); a position without one is a normal (1) conversation's.
      const p = after ? after.priority ?? 1 : 4
      const rows = page?.order === 'priority'
        ? q.queuePriority.all(brandId, p, p, after?.createdAt ?? -1, after?.createdAt ?? -1, after?.convId ?? '', limit)
        : newest
        ? q.queueNewest.all(brandId, after?.createdAt ?? Number.MAX_SAFE_INTEGER, after?.createdAt ?? Number.MAX_SAFE_INTEGER, after?.convId ?? '\uffff', limit)
        : q.queue.all(brandId, after?.createdAt ?? -1, after?.createdAt ?? -1, after?.convId ?? '', limit)
      const previews = page?.previews !== false
      return rows.map((r) => ({ conversation: conversation(r), preview: previews ? firstPreview(r) : '' }))
    },
    async updateVisitorContext(brandId, visitorId, context) {
      const bare = JSON.stringify(withoutBehaviour(context))
      return q.visitorContext.all(brandId, visitorId, bare, JSON.stringify(context), brandId, visitorId).map(conversation)
    },
    async getWidgetConfig(brandId) {
      const raw = q.widgetConfig.get(brandId)?.widget_config
      return raw ? (JSON.parse(raw) as WidgetConfig) : {}
    },
    async getMaskingConfig(brandId) {
      const raw = q.maskingConfig.get(brandId)?.masking_config
      return raw ? (JSON.parse(raw) as MaskingConfig) : null
    },
    async getRulesConfig(brandId) {
      const raw = q.rulesConfig.get(brandId)?.rules_config
      return raw ? (JSON.parse(raw) as RulesConfig) : null
    },
    async setRulesConfig(brandId, config) {
      q.setRulesConfig.run(JSON.stringify(config), brandId)
    },
    async getBusinessHours(brandId) {
      const raw = q.businessHours.get(brandId)?.business_hours
      return raw ? (JSON.parse(raw) as BusinessHours) : null
    },
    async setBusinessHours(brandId, hours) {
      q.setBusinessHours.run(hours === null ? null : JSON.stringify(hours), brandId)
    },
    async setMaskingConfig(brandId, config) {
      q.setMaskingConfig.run(JSON.stringify(config), brandId)
    },
    async setWidgetConfig(brandId, config) {
      q.setWidgetConfig.run(JSON.stringify(config), brandId)
    },
    async markRead(brandId, convId, who, seq) {
      const conv = q.conv.get(brandId, convId)
      const sender = senders.find(brandId, who.kind, who.id)
      if (!conv || sender === undefined) return 0
      q.markRead.run(seq, conv.id, sender)
      return q.participant.get(conv.id, sender)?.read_seq ?? 0
    },

    async appendMessages(batch) {
      if (admin) throw new Error('an admin store does not store messages')
      let outcome: AppendOutcome
      try {
        outcome = appendBatch(batch)
      } catch (err) {
        // Rolled back: the seqs and conversations the batch put in the cache were never stored.
        convCache.clear()
        throw err
      }
      const { results, added, indexed } = outcome
      unindexed.forget(indexed)
      for (const t of added) unindexed.add(t)
      lastAppend = Date.now()
      finishCheckpoint()
      return results
    },
    async redactMessages(brandId, redactions) { return redactTx.immediate(brandId, redactions) },
    async readMessages(brandId, convId, afterSeq, limit) {
      const conv = q.conv.get(brandId, convId)
      if (!conv) return []
      const messages = readRows(conv.id, afterSeq, limit).map((r) => toMessage(brandId, convId, r))
      if (messages.length === 0) return messages
      // One indexed look-up a page (nothing found for a chat without files).
      const files = messageAttachments.range(brandId, convId, messages[0]!.seq, messages[messages.length - 1]!.seq)
      if (files.size > 0) for (const m of messages) { const refs = files.get(m.seq); if (refs) m.attachments = refs }
      return messages
    },

    ...maskingRuns,

    async vacuum() {
      db.exec('VACUUM')
    },
    async ping() { q.writeProbe.run() },
    async close() {
      clearInterval(indexTimer)
      if (checkpointTimer) clearInterval(checkpointTimer)
      if (db.open) {
        try {
          if (unindexed.size > 0) indexRest()
        } finally {
          db.close()
        }
      }
    },
  }
}
