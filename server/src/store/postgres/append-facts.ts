import type { AttachmentRef, Participant } from '@parley/sdk/contract'
import type { AppendRequest } from '../store.js'
import type { AttachmentFacts } from '../../policy/attachment-policy.js'
import { toAttachmentRef } from '../../attachments/attachment-ref.js'
import type { PgTx } from './db.js'
import { MESSAGE_COLUMNS, type MessageRow, refsOf } from './message-rows.js'

// What a group commit must know of one brand before it decides anything, read with that brand's
// conversations locked: the conversations (FOR UPDATE, in conv_id order, as every method that
// changes one locks it), the messages already stored under the batch's client ids, which agents take
// part, and the attachments the batch sends (FOR UPDATE too). Under READ COMMITTED each statement
// sees what committed before it, so the reads after the locks see every write of a batch that held
// them before us: a resend committed by another node a moment ago is found as a duplicate.

/** What an append needs of a conversation; lastSeq and lastVisitorAt move as the batch adds rows. */
interface ConvState {
  visitorId: string
  status: 'open' | 'closed'
  assignedAgentId: string | null
  lastSeq: number
  /** When its visitor last wrote, as the batch leaves it; null: not written by the batch. */
  visitorAt: number | null
}

/** A message stored under a (sender, clientMsgId): before the batch, or by it. */
interface PriorMessage {
  convId: string
  seq: number
  senderName: string | null
  text: string
  at: number
  attachments: AttachmentRef[] | undefined
}

/** An attachment a request names: the policy's facts and the ref a message carries. */
export interface FileState extends AttachmentFacts {
  ref: AttachmentRef
}

/** One brand's share of a batch, as read under the locks; the batch updates it as it decides. */
export interface BrandFacts {
  convs: Map<string, ConvState>
  /** By priorKey. */
  priors: Map<string, PriorMessage>
  /** memberKey of each (conversation, agent) that takes part. */
  members: Set<string>
  files: Map<string, FileState>
}

/** The key of a sender's client id (NUL never occurs in an id). */
export const priorKey = (from: Pick<Participant, 'kind' | 'id'>, clientMsgId: string): string => `${from.kind}\0${from.id}\0${clientMsgId}`

/** The key of an agent taking part in a conversation. */
export const memberKey = (convId: string, agentId: string): string => `${convId}\0${agentId}`

interface ConvRow { conv_id: string; visitor_id: string; status: 'open' | 'closed'; assigned_agent: string | null; last_seq: number }

interface FileRow {
  attachment_id: string; uploader: string; conv_id: string | null
  name: string; type: AttachmentRef['type']; size: number; width: number | null; height: number | null; thumb_key: string | null
}

const distinct = (values: Iterable<string>): string[] => [...new Set(values)].sort()

/**
 * Locks the brand's conversations the batch names (in conv_id order) and the attachments it sends
 * (in id order), in one statement: the ones that exist. FOR UPDATE reads each row's latest version,
 * whenever the statement started.
 */
async function lockRows(tx: PgTx, brandId: string, reqs: readonly AppendRequest[]): Promise<{ convs: Map<string, ConvState>; files: Map<string, FileState> }> {
  const r = (await tx.one<{ convs: ConvRow[]; files: FileRow[] }>(`SELECT
      (SELECT coalesce(jsonb_agg(to_jsonb(c) ORDER BY c.conv_id), '[]') FROM (SELECT conv_id, visitor_id, status, assigned_agent, last_seq
        FROM conversations WHERE brand_id = $1 AND conv_id = ANY($2::text[]) ORDER BY conv_id FOR UPDATE) c) AS convs,
      (SELECT coalesce(jsonb_agg(to_jsonb(f)), '[]') FROM (SELECT attachment_id, uploader, conv_id, name, type, size, width, height, thumb_key
        FROM attachments WHERE brand_id = $1 AND attachment_id = ANY($3::text[]) ORDER BY attachment_id FOR UPDATE) f) AS files`,
  [brandId, distinct(reqs.map((q) => q.convId)), distinct(reqs.flatMap((q) => q.attachmentIds ?? []))]))!
  return {
    convs: new Map(r.convs.map((c) => [c.conv_id, {
      visitorId: c.visitor_id, status: c.status, assignedAgentId: c.assigned_agent, lastSeq: c.last_seq, visitorAt: null,
    }])),
    files: new Map(r.files.map((f) => [f.attachment_id, {
      brandId, uploader: f.uploader, convId: f.conv_id,
      ref: toAttachmentRef({ attachmentId: f.attachment_id, name: f.name, type: f.type, size: f.size, width: f.width, height: f.height, thumbKey: f.thumb_key }),
    }])),
  }
}

/**
 * The messages stored under the requests' (sender, clientMsgId), by priorKey, and which of the
 * requests' agents take part in which of their conversations (memberKeys), in one statement. Run
 * after lockRows, so its snapshot sees what every transaction that held those locks wrote.
 */
async function readPriorsAndMembers(tx: PgTx, brandId: string, reqs: readonly AppendRequest[]): Promise<{ priors: Map<string, PriorMessage>; members: Set<string> }> {
  const agents = reqs.filter((q) => q.from.kind === 'agent')
  // One index probe per request: as a plain join the planner hashed the brand's every message
  // (10,000 rows read for a batch of 50, 4 ms, growing with the brand); LIMIT keeps the lateral
  // subquery from being flattened into that join.
  const r = (await tx.one<{ priors: MessageRow[]; members: [string, string][] }>(`SELECT
      (SELECT coalesce(jsonb_agg(to_jsonb(p)), '[]') FROM (SELECT ${MESSAGE_COLUMNS}
        FROM unnest($2::text[], $3::text[], $4::text[]) AS k(kind, id, client_msg_id)
        CROSS JOIN LATERAL (SELECT brand_id, conv_id, seq, client_msg_id, sender_kind, sender_id, sender_name, text, at FROM messages
          WHERE brand_id = $1 AND sender_kind = k.kind AND sender_id = k.id AND client_msg_id = k.client_msg_id LIMIT 1) m) p) AS priors,
      (SELECT coalesce(jsonb_agg(jsonb_build_array(conv_id, participant_id)), '[]') FROM participants
        WHERE brand_id = $1 AND kind = 'agent' AND conv_id = ANY($5::text[]) AND participant_id = ANY($6::text[])) AS members`,
  [brandId, reqs.map((q) => q.from.kind), reqs.map((q) => q.from.id), reqs.map((q) => q.clientMsgId),
    distinct(agents.map((q) => q.convId)), distinct(agents.map((q) => q.from.id))]))!
  return {
    priors: new Map(r.priors.map((m) => [priorKey({ kind: m.sender_kind, id: m.sender_id }, m.client_msg_id), {
      convId: m.conv_id, seq: m.seq, senderName: m.sender_name, text: m.text, at: m.at, attachments: refsOf(m.files),
    }])),
    members: new Set(r.members.map(([convId, agentId]) => memberKey(convId, agentId))),
  }
}

/**
 * Takes, for every (brand, conversation) of the batch, a transaction-level advisory lock, in one
 * order every node shares (the ids' hash). Row locks alone cannot order the conversations a batch
 * opens, which do not exist yet: two nodes opening the same two ids in opposite orders would wait
 * for each other's inserts until the deadlock detector (a second later) undid one. Behind this lock a
 * batch finds a conversation opened by the one before it, as stored. A hash shared by two ids only
 * makes their batches take turns.
 */
export async function lockBatchConversations(tx: PgTx, batch: readonly AppendRequest[]): Promise<void> {
  await tx.run(`SELECT pg_advisory_xact_lock(h) FROM (
      SELECT DISTINCT hashtextextended(k.brand_id || '/' || k.conv_id, 0) AS h FROM unnest($1::text[], $2::text[]) AS k(brand_id, conv_id) ORDER BY h) s`,
  [batch.map((r) => r.brandId), batch.map((r) => r.convId)])
}

/**
 * Locks and reads what the requests of one brand need, in two round trips (the locks, then the reads
 * under them); the transaction must act for `brandId`.
 */
export async function readBrandFacts(tx: PgTx, brandId: string, reqs: readonly AppendRequest[]): Promise<BrandFacts> {
  const { convs, files } = await lockRows(tx, brandId, reqs)
  const { priors, members } = await readPriorsAndMembers(tx, brandId, reqs)
  return { convs, priors, members, files }
}
