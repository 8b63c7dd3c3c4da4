import { randomBytes } from 'node:crypto'
import type { Store } from '../../server/src/store/store.js'
import { SEED_POST_SURVEY } from './report-seed.js'

// Conversations for transcript search and history tests, written through the store as the relay
// writes them: opened by a visitor (with a topic when given), their words, an agent's reply, closing,
// a post-chat CSAT.

/** One conversation to seed. */
export interface HistoryChat {
  /** When it opened (ms since the epoch). */
  at: number
  /** The visitor (default: one of its own). */
  visitorId?: string
  /** What the visitor wrote first. */
  text: string
  topic?: string
  /** The agent who takes it and replies. */
  agent?: string
  closed?: boolean
  csat?: number
}

/** Writes `chats` for `brandId` through `store`; returns their ids in order. */
export async function seedHistory(store: Store, brandId: string, chats: readonly HistoryChat[]): Promise<string[]> {
  if (chats.some((c) => c.csat !== undefined) && !(await store.getSurveyVersion(brandId, SEED_POST_SURVEY.id, 1))) {
    await store.setSurveysConfig(brandId, { surveys: [SEED_POST_SURVEY], post: SEED_POST_SURVEY.id }, [SEED_POST_SURVEY], 1)
  }
  const ids: string[] = []
  for (const c of chats) {
    const convId = `h-${randomBytes(6).toString('hex')}`
    ids.push(convId)
    const visitor = { kind: 'visitor' as const, id: c.visitorId ?? `v-${convId}` }
    if (c.topic !== undefined) {
      const opened = await store.openConversation({ brandId, convId, visitorId: visitor.id, clientMsgId: `o-${convId}`, at: c.at, context: null, routing: { topic: c.topic }, response: null })
      if (!opened.ok) throw new Error(`opening ${convId} failed: ${opened.code}`)
    }
    const [first] = await store.appendMessages([{ brandId, convId, clientMsgId: `m-${convId}`, from: visitor, text: c.text, at: c.at, context: null }])
    if (!first?.ok) throw new Error(`seeding ${convId} failed`)
    if (c.agent) {
      const assigned = await store.assignConversation(brandId, convId, c.agent, c.at + 1, { onlyIfWaiting: false })
      if (!assigned.ok) throw new Error(`assigning ${convId} failed: ${assigned.code}`)
      const [reply] = await store.appendMessages([{ brandId, convId, clientMsgId: `r-${convId}`, from: { kind: 'agent', id: c.agent }, text: 'let me look', at: c.at + 2, context: null }])
      if (!reply?.ok) throw new Error(`reply in ${convId} failed`)
    }
    if (c.closed) await store.closeConversation(brandId, convId, visitor, c.at + 60_000)
    if (c.csat !== undefined) {
      const stored = await store.addSurveyResponse({
        brandId, convId, visitorId: visitor.id, clientMsgId: `s-${convId}`,
        response: { surveyId: SEED_POST_SURVEY.id, version: 1, kind: 'post', answers: { satisfaction: c.csat }, at: c.at + 120_000 },
      })
      if (!stored.ok) throw new Error(`answering in ${convId} failed: ${stored.code}`)
    }
  }
  return ids
}
