import type { AppendRequest, AppendResult, ConversationRecord, MessageRecord } from '../store.js'
import { needsMembership, writeRefusal } from '../../policy/conversation-policy.js'
import { attachmentSendRefusal, type AttachmentSendRefusal } from '../../policy/attachment-policy.js'
import type { PgTx } from './db.js'
import { type BrandFacts, type FileState, lockBatchConversations, memberKey, priorKey, readBrandFacts } from './append-facts.js'
import { BatchRacedError, openConversationsFor } from './conversation-opening.js'

// The group commit on PostgreSQL: a batch of appends, possibly of several brands, in one
// transaction. First the batch's conversations are locked, in an order every node shares, and each
// brand's facts read (append-facts.ts); then every
// request is decided in batch order, in memory, by the policy; then each brand's new rows go in with
// one statement (messages, the conversations' last_seq and last_visitor_at) and one for the files
// bound. A refusal writes nothing and raises nothing, so it never aborts the others.

/** A row the batch adds to `messages`. */
interface NewRow { convId: string; seq: number; clientMsgId: string; kind: string; senderId: string; name: string | null; text: string; at: number }

/** A file the batch binds to a message, at `position` among its files. */
interface Binding { attachmentId: string; convId: string; seq: number; position: number }

/** A conversation the batch opens: its first message's request, and the result that reports it opened. */
interface Opening { req: AppendRequest; result: { opened: ConversationRecord | null } }

/** What one brand's share of the batch writes. */
interface BrandWrites { opens: Opening[]; rows: NewRow[]; bindings: Binding[] }

/** The transaction's brand, set only when it changes (each change is a round trip). */
class BrandCursor {
  #current: string | null
  constructor(readonly tx: PgTx, first: string | null) { this.#current = first }
  async use(brandId: string): Promise<PgTx> {
    if (this.#current !== brandId) { await this.tx.setBrand(brandId); this.#current = brandId }
    return this.tx
  }
}

/** The brand a batch's transaction should start with (the first its reads use). */
export function firstBrandOf(batch: readonly AppendRequest[]): string | null {
  return batch.length === 0 ? null : batch.map((r) => r.brandId).sort()[0]!
}

/** The requests of each brand, brands in order. */
function byBrand(batch: readonly AppendRequest[]): Map<string, AppendRequest[]> {
  const out = new Map<string, AppendRequest[]>()
  for (const req of [...batch].sort((a, b) => (a.brandId < b.brandId ? -1 : a.brandId > b.brandId ? 1 : 0))) {
    const list = out.get(req.brandId) ?? []
    list.push(req)
    out.set(req.brandId, list)
  }
  return out
}

/**
 * The files of a request, checked by the attachment policy in order; the first refusal wins. A file
 * named twice in one message is in use the second time (the relay's frame schema already refuses
 * that; here it refuses the one message rather than failing the batch's bind).
 */
function checkFiles(facts: BrandFacts, req: AppendRequest): { ok: true; files: FileState[] } | { ok: false; code: AttachmentSendRefusal } {
  const files: FileState[] = []
  for (const id of req.attachmentIds ?? []) {
    const f = facts.files.get(id) ?? null
    const refusal = files.includes(f!) ? 'PARLEY_ERR_ATTACHMENT_IN_USE' : attachmentSendRefusal(f, req.from)
    if (refusal) return { ok: false, code: refusal }
    files.push(f!)
  }
  return { ok: true, files }
}

/**
 * Decides one request and records what it writes; `writes` is its brand's. A conversation it opens
 * is written with the others of its brand after every request is decided (openings below).
 */
function appendOne(facts: BrandFacts, writes: BrandWrites, req: AppendRequest): AppendResult {
  let conv = facts.convs.get(req.convId) ?? null
  const key = priorKey(req.from, req.clientMsgId)
  const prior = facts.priors.get(key)
  if (prior) {
    if (!conv || prior.convId !== req.convId) return { ok: false, code: 'PARLEY_ERR_MESSAGE_ID_REUSED' }
    const from = prior.senderName !== null ? { ...req.from, name: prior.senderName } : { kind: req.from.kind, id: req.from.id }
    const message: MessageRecord = { brandId: req.brandId, convId: req.convId, seq: prior.seq, clientMsgId: req.clientMsgId, from, text: prior.text, at: prior.at }
    if (prior.attachments) message.attachments = prior.attachments
    return { ok: true, message, duplicate: true, visitorId: conv.visitorId, opened: null }
  }
  const joined = conv !== null && needsMembership(req.from) && facts.members.has(memberKey(req.convId, req.from.id))
  const refusal = writeRefusal(conv, req.from, joined)
  if (refusal) return { ok: false, code: refusal }
  // Checked before anything is written: a refused file refuses the whole message.
  const checked = checkFiles(facts, req)
  if (!checked.ok) return { ok: false, code: checked.code }
  const opens = !conv
  if (!conv) {
    conv = { visitorId: req.from.id, status: 'open', assignedAgentId: null, lastSeq: 0, visitorAt: null }
    facts.convs.set(req.convId, conv)
  }
  const seq = ++conv.lastSeq
  if (req.from.kind === 'visitor') conv.visitorAt = Math.max(conv.visitorAt ?? 0, req.at)
  writes.rows.push({ convId: req.convId, seq, clientMsgId: req.clientMsgId, kind: req.from.kind, senderId: req.from.id, name: req.from.name ?? null, text: req.text, at: req.at })
  const refs = checked.files.map((f, position) => {
    // Bound now for the rest of the batch: a later message naming it finds it in use.
    f.convId = req.convId
    writes.bindings.push({ attachmentId: f.ref.attachmentId, convId: req.convId, seq, position })
    return f.ref
  })
  const message: MessageRecord = { brandId: req.brandId, convId: req.convId, seq, clientMsgId: req.clientMsgId, from: req.from, text: req.text, at: req.at }
  if (refs.length > 0) message.attachments = refs
  facts.priors.set(key, { convId: req.convId, seq, senderName: req.from.name ?? null, text: req.text, at: req.at, attachments: message.attachments })
  const result = { ok: true as const, message, duplicate: false, visitorId: conv.visitorId, opened: null as ConversationRecord | null }
  if (opens) writes.opens.push({ req, result })
  return result
}

/** Opens the brand's new conversations and reports each in its first message's result (lastSeq: that message). */
async function writeOpenings(tx: PgTx, brandId: string, opens: Opening[]): Promise<void> {
  const opened = await openConversationsFor(tx, brandId, opens.map((o) => o.req))
  for (const o of opens) o.result.opened = { ...opened.get(o.req.convId)!, lastSeq: 1 }
}

/**
 * Inserts one brand's new rows and moves its conversations' last_seq (and last_visitor_at) in one
 * statement. A row another transaction's insert beat (the same client id, stored meanwhile in a
 * conversation this batch did not lock) is not inserted: the batch is then run again.
 */
async function writeMessages(tx: PgTx, brandId: string, facts: BrandFacts, rows: NewRow[]): Promise<void> {
  const touched = [...new Set(rows.map((r) => r.convId))]
  const convs = touched.map((c) => facts.convs.get(c)!)
  const counts = await tx.one<{ inserted: number }>(`WITH ins AS (
      INSERT INTO messages (brand_id, conv_id, seq, client_msg_id, sender_kind, sender_id, sender_name, text, at)
      SELECT $1, r.* FROM unnest($2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::bigint[])
        AS r(conv_id, seq, client_msg_id, sender_kind, sender_id, sender_name, text, at)
      ON CONFLICT DO NOTHING RETURNING 1),
    upd AS (
      UPDATE conversations c SET last_seq = u.last_seq,
        last_visitor_at = CASE WHEN u.visitor_at IS NULL THEN c.last_visitor_at ELSE greatest(coalesce(c.last_visitor_at, 0), u.visitor_at) END
      FROM unnest($10::text[], $11::int[], $12::bigint[]) AS u(conv_id, last_seq, visitor_at)
      WHERE c.brand_id = $1 AND c.conv_id = u.conv_id)
    SELECT count(*)::int AS inserted FROM ins`, [
    brandId, rows.map((r) => r.convId), rows.map((r) => r.seq), rows.map((r) => r.clientMsgId), rows.map((r) => r.kind),
    rows.map((r) => r.senderId), rows.map((r) => r.name), rows.map((r) => r.text), rows.map((r) => r.at),
    touched, convs.map((c) => c.lastSeq), convs.map((c) => c.visitorAt),
  ])
  if (counts?.inserted !== rows.length) throw new BatchRacedError('a message under one of the batch\'s client ids')
}

/** Binds one brand's sent files to their messages (the rows are locked: every one must change); `tx` must act for `brandId`. */
async function writeBindings(tx: PgTx, brandId: string, bindings: Binding[]): Promise<void> {
  const bound = await tx.run(`UPDATE attachments a SET conv_id = b.conv_id, seq = b.seq, position = b.position
    FROM unnest($2::text[], $3::text[], $4::int[], $5::int[]) AS b(attachment_id, conv_id, seq, position)
    WHERE a.brand_id = $1 AND a.attachment_id = b.attachment_id AND a.conv_id IS NULL`,
  [brandId, bindings.map((b) => b.attachmentId), bindings.map((b) => b.convId), bindings.map((b) => b.seq), bindings.map((b) => b.position)])
  if (bound !== bindings.length) throw new Error(`bound ${bound} of ${bindings.length} attachments held locked`)
}

/**
 * Appends `batch` inside `tx`, which acts for firstBrandOf(batch) when it starts. Results line up
 * with the requests. Throws BatchRacedError when another node stored a row first (run it again).
 */
export async function appendBatch(tx: PgTx, batch: readonly AppendRequest[]): Promise<AppendResult[]> {
  const cursor = new BrandCursor(tx, firstBrandOf(batch))
  const brands = byBrand(batch)
  const facts = new Map<string, BrandFacts>()
  const writes = new Map<string, BrandWrites>()
  await lockBatchConversations(tx, batch)
  for (const [brandId, reqs] of brands) {
    facts.set(brandId, await readBrandFacts(await cursor.use(brandId), brandId, reqs))
    writes.set(brandId, { opens: [], rows: [], bindings: [] })
  }
  const results = batch.map((req) => appendOne(facts.get(req.brandId)!, writes.get(req.brandId)!, req))
  for (const [brandId, w] of writes) {
    if (w.rows.length === 0) continue
    if (w.opens.length > 0) await writeOpenings(await cursor.use(brandId), brandId, w.opens)
    await writeMessages(await cursor.use(brandId), brandId, facts.get(brandId)!, w.rows)
    if (w.bindings.length > 0) await writeBindings(await cursor.use(brandId), brandId, w.bindings)
  }
  return results
}
