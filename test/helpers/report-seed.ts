import { randomBytes } from 'node:crypto'
import Database from 'better-sqlite3'
import type { Store } from '../../server/src/store/store.js'

// Conversations for report tests, written through the store (messages, assignment, closing), with
// what the store cannot write yet (a topic, a post-chat answer) written straight into the SQLite
// file over a connection of the test's own. Only scores: the answers JSON is a placeholder.

/** One conversation to seed: when it opened and what happened in it. */
export interface SeedChat {
  /** Its opening, `YYYY-MM-DDTHH:MM` UTC (default noon of `day`). */
  day: string
  time?: string
  offline?: boolean
  /** The agent it is assigned to. */
  agent?: string
  /** Seconds after the opening that the agent first wrote (requires `agent`). */
  replyAfterSec?: number
  topic?: string
  closed?: boolean
  /** A post-chat answer with these scores (left out: none; null: that field skipped). */
  post?: { csat: number | null; nps: number | null }
}

/** Writes `chats` for `brandId` through `store` and into the database `file`; returns their ids in order. */
export async function seedReportChats(store: Store, file: string, brandId: string, chats: readonly SeedChat[]): Promise<string[]> {
  const ids: string[] = []
  const db = new Database(file)
  db.pragma('busy_timeout = 5000')
  try {
    const setTopic = db.prepare('UPDATE conversations SET topic = ? WHERE brand_id = ? AND conv_id = ?')
    const answer = db.prepare(`INSERT INTO survey_responses (brand_id, conv_id, survey_id, version, kind, client_msg_id, answers, csat, nps, at)
      VALUES (?, ?, 'post', 1, 'post', ?, '{}', ?, ?, ?)`)
    for (const c of chats) {
      const convId = `c-${randomBytes(6).toString('hex')}`
      ids.push(convId)
      const at = Date.parse(`${c.day}T${c.time ?? '12:00'}:00Z`)
      const visitor = { kind: 'visitor' as const, id: `v-${convId}` }
      const [opened] = await store.appendMessages([{
        brandId, convId, clientMsgId: 'm1', from: visitor, text: 'hello', at, context: null,
        ...(c.offline ? { contact: { name: 'Sam', email: 'sam@example.com' } } : {}),
      }])
      if (!opened?.ok) throw new Error(`seeding ${convId} failed`)
      if (c.agent) {
        const assigned = await store.assignConversation(brandId, convId, c.agent, at + 1, { onlyIfWaiting: false })
        if (!assigned.ok) throw new Error(`assigning ${convId} failed: ${assigned.code}`)
        if (c.replyAfterSec !== undefined) {
          const [reply] = await store.appendMessages([{
            brandId, convId, clientMsgId: `r-${convId}`, from: { kind: 'agent', id: c.agent }, text: 'hi', at: at + c.replyAfterSec * 1000, context: null,
          }])
          if (!reply?.ok) throw new Error(`reply in ${convId} failed`)
        }
      }
      if (c.topic !== undefined) setTopic.run(c.topic, brandId, convId)
      if (c.closed) await store.closeConversation(brandId, convId, visitor, at + 3_600_000)
      if (c.post) answer.run(brandId, convId, `s-${convId}`, c.post.csat, c.post.nps, at + 3_600_000)
    }
  } finally {
    db.close()
  }
  return ids
}
