import type Database from 'better-sqlite3'
import type { Report, ReportQuery } from '@parley/sdk/contract'
import type { Store } from '../store.js'
import { ReportTally } from '../../reports/report-tally.js'
import type { ReportChatRow } from '../report-groups.js'
import { readReportInSlices } from '../report-slices.js'
import type { UnindexedRow } from './unindexed-rows.js'

// Reports over SQLite: one read of the period's conversations (the index by brand and creation
// time), each with whether it has a post-chat answer and when an agent first wrote in it, and one
// read of those conversations' post-chat scores (survey_responses' csat and nps columns). The
// figures are added up by ReportTally; no text, address or visitor id leaves this file.

interface ChatRow extends ReportChatRow {
  id: number
  answered: number
}

interface ScoreRow { id: number; csat: number | null; nps: number | null }

type ReportMethods = Pick<Store, 'readReport'>

/**
 * The Store's report method over `db`. `unindexedAfter` gives a conversation's messages not yet in
 * the on-disk index (unindexed-rows.ts), so a reply written a moment ago counts as a first response.
 */
export function createReports(db: Database.Database, unindexedAfter: (conv: number) => readonly UnindexedRow[]): ReportMethods {
  const q = {
    // The first agent message by seq is the first in time; the walk stops at it, usually a few rows in.
    // An erased stub has no messages left and kept the time (visitor-erasure.ts).
    chats: db.prepare<[string, number, number], ChatRow>(`SELECT c.id, c.created_at, c.origin, c.status, c.assigned_agent,
        a.name AS agent_name, c.topic,
        EXISTS (SELECT 1 FROM survey_responses r WHERE r.brand_id = c.brand_id AND r.conv_id = c.conv_id AND r.kind = 'post') AS answered,
        coalesce(c.first_agent_at, (SELECT m.at FROM message_by_seq b JOIN message_log m ON m.id = b.id JOIN senders s ON s.id = m.sender
          WHERE b.conv = c.id AND s.kind = 'agent' ORDER BY b.seq LIMIT 1)) AS first_agent_at
      FROM conversations c LEFT JOIN agents a ON a.brand_id = c.brand_id AND a.agent_id = c.assigned_agent
      WHERE c.brand_id = ? AND c.created_at >= ? AND c.created_at < ?`),
    scores: db.prepare<[string, number, number], ScoreRow>(`SELECT c.id, r.csat, r.nps
      FROM conversations c JOIN survey_responses r ON r.brand_id = c.brand_id AND r.conv_id = c.conv_id
      WHERE c.brand_id = ? AND c.created_at >= ? AND c.created_at < ? AND r.kind = 'post'`),
    message: db.prepare<[number], { at: number; kind: 'visitor' | 'agent' }>(
      'SELECT m.at, s.kind FROM message_log m JOIN senders s ON s.id = m.sender WHERE m.id = ?'),
  }

  /** When an agent first wrote among the conversation's messages still waiting to be indexed. */
  function firstUnindexedAgentAt(conv: number): number | null {
    for (const t of unindexedAfter(conv)) {
      const m = q.message.get(t.id)
      if (m?.kind === 'agent') return m.at
    }
    return null
  }

  // One read transaction per slice: its conversations and their scores come from the same snapshot.
  const read = db.transaction((brandId: string, startMs: number, endMs: number) => ({
    chats: q.chats.all(brandId, startMs, endMs),
    scores: q.scores.all(brandId, startMs, endMs),
  }))

  return {
    async readReport(brandId: string, query: ReportQuery): Promise<Report> {
      let first = true
      return readReportInSlices(query, async (from, to, groups, total) => {
        // Commits are let in between slices: a year of a busy brand's chats is a read of hundreds
        // of ms, which must not hold the store (or, on the main thread, the event loop) at once.
        if (!first) await new Promise((resolve) => setImmediate(resolve))
        first = false
        const { chats, scores } = read(brandId, from, to)
        const byConv = new Map<number, ReportTally>()
        for (const c of chats) {
          const agentAt = c.first_agent_at ?? firstUnindexedAgentAt(c.id)
          const facts = {
            origin: c.origin, closed: c.status === 'closed', answered: c.answered === 1,
            firstResponseMs: agentAt === null ? null : agentAt - c.created_at,
          }
          const tally = groups.tallyOf(c)
          tally.addChat(facts)
          total.addChat(facts)
          byConv.set(c.id, tally)
        }
        for (const sc of scores) {
          byConv.get(sc.id)?.addAnswer(sc)
          total.addAnswer(sc)
        }
      })
    },
  }
}
