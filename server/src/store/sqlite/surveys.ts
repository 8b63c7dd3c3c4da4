import type Database from 'better-sqlite3'
import type { Survey, SurveysConfig } from '@parley/sdk/contract'
import type { ConversationRecord, OpenConversationRequest, OpenConversationResult, Store, SurveyResponseRequest, SurveyResponseResult } from '../store.js'
import type { ConversationRow } from './rows.js'
import type { SenderKeys } from './senders.js'
import { maySee } from '../../policy/conversation-policy.js'
import { createDefinitionReader, createResponseWriter, createRoutingWriter, toSurveyResponse, type SurveyResponseRow } from './survey-rows.js'
import { routingColumns } from '../conversation-columns.js'
import { createConsentedContext } from './consented-context.js'

// Surveys in SQLite: the brand's document, every saved version, the answers, and conversations
// opened with their pre-chat answer (migration 10). The document is stored as saved, each survey
// carrying its current version (the caller numbers versions; the store keeps every one). The csat
// and nps columns are filled here from the survey version the answer names (survey-rows.ts), so
// callers pass only the response.

type SurveyMethods = Pick<Store, 'getSurveysConfig' | 'setSurveysConfig' | 'getSurveyVersion' | 'latestSurveyVersions' | 'openConversation' | 'addSurveyResponse' | 'listSurveyResponses'>

/** What the survey store borrows from the SQLite store it is part of. */
export interface SurveyStoreDeps {
  senders: SenderKeys
  /** The record of a conversations row (with the lastSeq of messages not indexed yet). */
  conversation: (row: ConversationRow) => ConversationRecord
}

/** The survey methods of the SQLite store. */
export function createSurveyStore(db: Database.Database, deps: SurveyStoreDeps): SurveyMethods {
  const { senders, conversation } = deps
  const q = {
    config: db.prepare<[string], { surveys_config: string | null }>('SELECT surveys_config FROM brands WHERE brand_id = ?'),
    setConfig: db.prepare('UPDATE brands SET surveys_config = ? WHERE brand_id = ?'),
    insertVersion: db.prepare(`INSERT INTO survey_versions (brand_id, survey_id, version, kind, definition, created_at)
      VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`),
    // SQLite takes a bare column of an aggregate query from the row max() picked.
    latest: db.prepare<[string], { definition: string; v: number }>(
      'SELECT definition, max(version) AS v FROM survey_versions WHERE brand_id = ? GROUP BY survey_id'),
    conv: db.prepare<[string, string], ConversationRow>('SELECT * FROM conversations WHERE brand_id = ? AND conv_id = ?'),
    convById: db.prepare<[number], ConversationRow>('SELECT * FROM conversations WHERE id = ?'),
    insertConv: db.prepare(`INSERT INTO conversations
      (brand_id, conv_id, visitor_id, status, created_at, closed_at, last_seq, context, origin, contact, topic, skill, priority, last_visitor_at)
      VALUES (?, ?, ?, 'open', ?, NULL, 0, ?, 'chat', ?, ?, ?, ?, ?)`),
    setContact: db.prepare('UPDATE conversations SET contact = ? WHERE id = ? AND contact IS NULL'),
    join: db.prepare('INSERT INTO participants (conv, sender, joined_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING'),
    response: db.prepare<[string, string, string], SurveyResponseRow>(
      'SELECT * FROM survey_responses WHERE brand_id = ? AND conv_id = ? AND survey_id = ?'),
    responses: db.prepare<[string, string], SurveyResponseRow>(
      'SELECT * FROM survey_responses WHERE brand_id = ? AND conv_id = ? ORDER BY at, survey_id'),
  }
  const writeResponse = createResponseWriter(db)
  const definitionOf = createDefinitionReader(db)
  const setRouting = createRoutingWriter(db)
  const consentedContext = createConsentedContext(db)

  const setConfigTx = db.transaction((brandId: string, config: SurveysConfig, newVersions: readonly Survey[], at: number) => {
    for (const s of newVersions) {
      if (s.version === undefined) throw new Error(`survey ${s.id} is saved without a version`)
      const definition = JSON.stringify(s)
      // A version, once saved, never changes: answers read through it. Two saves racing to the same
      // number with different content must not both win.
      if (q.insertVersion.run(brandId, s.id, s.version, s.kind, definition, at).changes === 0 && definitionOf(brandId, s.id, s.version) !== definition) {
        throw new Error(`survey ${s.id} version ${s.version} is already saved with other content`)
      }
    }
    q.setConfig.run(JSON.stringify(config), brandId)
  })

  const openTx = senders.transaction((req: OpenConversationRequest): OpenConversationResult => {
    const contact = req.contact ? JSON.stringify({ name: req.contact.name, email: req.contact.email }) : null
    const existing = q.conv.get(req.brandId, req.convId)
    if (existing) {
      const who = { kind: 'visitor' as const, id: req.visitorId }
      if (!maySee({ visitorId: existing.visitor_id, status: existing.status }, who, false)) return { ok: false, code: 'PARLEY_ERR_CONV_NOT_FOUND' }
      // A first message may have opened it while the open waited to be retried (the outbox sends
      // both): its answers and routing are still the visitor's, so they are kept, once.
      if (!req.response || q.response.get(req.brandId, req.convId, req.response.surveyId)) {
        return { ok: true, conversation: conversation(existing), created: false }
      }
      setRouting(existing.id, req.routing)
      if (contact) q.setContact.run(contact, existing.id)
      writeResponse(req.brandId, req.convId, req.clientMsgId, req.response)
      return { ok: true, conversation: conversation(q.convById.get(existing.id)!), created: false }
    }
    const r = routingColumns(req.routing)
    const ctx = consentedContext(req.brandId, req.visitorId, req.context)
    const id = Number(q.insertConv.run(req.brandId, req.convId, req.visitorId, req.at, ctx, contact, r.topic, r.skill, r.priority, req.at).lastInsertRowid)
    q.join.run(id, senders.ensure(req.brandId, 'visitor', req.visitorId), req.at)
    if (req.response) writeResponse(req.brandId, req.convId, req.clientMsgId, req.response)
    return { ok: true, conversation: conversation(q.convById.get(id)!), created: true }
  })

  const answerTx = db.transaction((req: SurveyResponseRequest): SurveyResponseResult => {
    const conv = q.conv.get(req.brandId, req.convId)
    // Closed conversations take answers: the post-chat survey is shown when one closes.
    if (!conv || !maySee({ visitorId: conv.visitor_id, status: conv.status }, { kind: 'visitor', id: req.visitorId }, false)) {
      return { ok: false, code: 'PARLEY_ERR_CONV_NOT_FOUND' }
    }
    const stored = q.response.get(req.brandId, req.convId, req.response.surveyId)
    if (stored) {
      return stored.client_msg_id === req.clientMsgId
        ? { ok: true, response: toSurveyResponse(stored), duplicate: true }
        : { ok: false, code: 'PARLEY_ERR_SURVEY_ANSWERED' }
    }
    writeResponse(req.brandId, req.convId, req.clientMsgId, req.response)
    return { ok: true, response: req.response, duplicate: false }
  })

  return {
    async getSurveysConfig(brandId) {
      const raw = q.config.get(brandId)?.surveys_config
      return raw ? (JSON.parse(raw) as SurveysConfig) : null
    },
    async setSurveysConfig(brandId, config, newVersions, at) { setConfigTx.immediate(brandId, config, newVersions, at) },
    async getSurveyVersion(brandId, surveyId, version) {
      const definition = definitionOf(brandId, surveyId, version)
      return definition ? (JSON.parse(definition) as Survey) : null
    },
    async latestSurveyVersions(brandId) {
      const latest = new Map<string, Survey>()
      for (const row of q.latest.all(brandId)) {
        const s = JSON.parse(row.definition) as Survey
        latest.set(s.id, s)
      }
      return latest
    },
    async openConversation(req) { return openTx(req) },
    async addSurveyResponse(req) { return answerTx.immediate(req) },
    async listSurveyResponses(brandId, convId) { return q.responses.all(brandId, convId).map(toSurveyResponse) },
  }
}
