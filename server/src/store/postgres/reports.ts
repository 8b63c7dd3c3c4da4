import type { Store } from '../store.js'
import { ReportTally } from '../../reports/report-tally.js'
import type { ReportChatRow } from '../report-groups.js'
import { readReportInSlices } from '../report-slices.js'
import type { PgDb } from './db.js'

// Reports on PostgreSQL, with the SQLite store's figures for the same data: the period's
// conversations (by brand and creation time), each with whether it has a post-chat answer, its
// post-chat scores and when an agent first wrote in it, read a week at a time, each week in one
// statement (one snapshot: a conversation and its scores are read together). ReportTally adds them
// up; no text, address or visitor id leaves this file.

interface ChatRow extends ReportChatRow {
  /** The conversation's post-chat answers' scores; null: none. */
  scores: { csat: number | null; nps: number | null }[] | null
}

// The first agent message by seq is the first in time; the walk stops at it, usually a few rows in.
// An erased conversation has no messages left: its erasure kept that time in first_agent_at.
const CHATS_SQL = `SELECT c.created_at, c.origin, c.status, c.assigned_agent, a.name AS agent_name, c.topic,
    (SELECT json_agg(json_build_object('csat', r.csat, 'nps', r.nps)) FROM survey_responses r
      WHERE r.brand_id = c.brand_id AND r.conv_id = c.conv_id AND r.kind = 'post') AS scores,
    coalesce(c.first_agent_at, (SELECT m.at FROM messages m WHERE m.brand_id = c.brand_id AND m.conv_id = c.conv_id AND m.sender_kind = 'agent'
      ORDER BY m.seq LIMIT 1)) AS first_agent_at
  FROM conversations c LEFT JOIN agents a ON a.brand_id = c.brand_id AND a.agent_id = c.assigned_agent
  WHERE c.brand_id = $1 AND c.created_at >= $2 AND c.created_at < $3`

/** Counts one conversation, and its post-chat scores, in its row and in the total. */
function count(c: ChatRow, tallies: readonly ReportTally[]): void {
  const facts = {
    origin: c.origin, closed: c.status === 'closed', answered: c.scores !== null,
    firstResponseMs: c.first_agent_at === null ? null : c.first_agent_at - c.created_at,
  }
  for (const t of tallies) {
    t.addChat(facts)
    for (const s of c.scores ?? []) t.addAnswer(s)
  }
}

/** The readReport method of the PostgreSQL store over `db`. */
export function createReports(db: PgDb): Store['readReport'] {
  return (brandId, query) => readReportInSlices(query, async (from, to, groups, total) => {
    const chats = await db.tx(brandId, (tx) => tx.rows<ChatRow>(CHATS_SQL, [brandId, from, to]))
    for (const c of chats) count(c, [groups.tallyOf(c), total])
  })
}
