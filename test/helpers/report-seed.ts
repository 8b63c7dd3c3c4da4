import { randomBytes } from 'node:crypto'
import type { Survey } from '@parley/sdk/contract'
import type { Store } from '../../server/src/store/store.js'

// Conversations for report tests, written through the store as the relay writes them: opened (with
// the topic a pre-chat answer gives), a visitor's message, assignment, the agent's reply, closing,
// and a post-chat answer to the brand's post-chat survey (a CSAT and an NPS field, version 1).

/** One conversation to seed: when it opened and what happened in it. */
export interface SeedChat {
  /** The UTC day it opened, `YYYY-MM-DD`, at `time` (`HH:MM`, default noon). */
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

/** The post-chat survey the seeded answers answer. */
export const SEED_POST_SURVEY: Survey = {
  id: 'after-chat', kind: 'post', version: 1,
  fields: [
    { id: 'satisfaction', type: 'csat', label: 'How did we do?' },
    { id: 'recommend', type: 'nps', label: 'Would you recommend us?' },
  ],
}

/** Writes `chats` for `brandId` through `store`; returns their ids in order. */
export async function seedReportChats(store: Store, brandId: string, chats: readonly SeedChat[]): Promise<string[]> {
  if (chats.some((c) => c.post) && !(await store.getSurveyVersion(brandId, SEED_POST_SURVEY.id, 1))) {
    await store.setSurveysConfig(brandId, { surveys: [SEED_POST_SURVEY], post: SEED_POST_SURVEY.id }, [SEED_POST_SURVEY], 1)
  }
  const ids: string[] = []
  for (const c of chats) {
    const convId = `c-${randomBytes(6).toString('hex')}`
    ids.push(convId)
    const at = Date.parse(`${c.day}T${c.time ?? '12:00'}:00Z`)
    const visitor = { kind: 'visitor' as const, id: `v-${convId}` }
    const routing = c.topic !== undefined ? { topic: c.topic } : {}
    if (!c.offline && c.topic !== undefined) {
      const opened = await store.openConversation({ brandId, convId, visitorId: visitor.id, clientMsgId: `o-${convId}`, at, context: null, routing, response: null })
      if (!opened.ok) throw new Error(`opening ${convId} failed: ${opened.code}`)
    }
    const [first] = await store.appendMessages([{
      brandId, convId, clientMsgId: `m-${convId}`, from: visitor, text: 'hello', at, context: null,
      ...(c.offline ? { contact: { name: 'Sam', email: 'sam@example.com' }, routing } : {}),
    }])
    if (!first?.ok) throw new Error(`seeding ${convId} failed`)
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
    if (c.closed) await store.closeConversation(brandId, convId, visitor, at + 3_600_000)
    if (c.post) {
      const answers: Record<string, number> = {}
      if (c.post.csat !== null) answers.satisfaction = c.post.csat
      if (c.post.nps !== null) answers.recommend = c.post.nps
      const stored = await store.addSurveyResponse({
        brandId, convId, visitorId: visitor.id, clientMsgId: `s-${convId}`,
        response: { surveyId: SEED_POST_SURVEY.id, version: 1, kind: 'post', answers, at: at + 3_600_000 },
      })
      if (!stored.ok) throw new Error(`answering in ${convId} failed: ${stored.code}`)
    }
  }
  return ids
}
