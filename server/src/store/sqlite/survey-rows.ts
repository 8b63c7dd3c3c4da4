import type Database from 'better-sqlite3'
import type { Routing, Survey, SurveyResponse } from '@parley/sdk/contract'
import { scoresOf } from '../survey-scores.js'
import { routingColumns } from '../conversation-columns.js'

// Survey answers and routing as SQLite rows (migration 10), shared by the survey store and the
// appender (an offline survey's answer is stored with the message that opens its conversation).

export interface SurveyResponseRow {
  survey_id: string; version: number; kind: SurveyResponse['kind']; client_msg_id: string; language: string | null
  answers: string; consents: string | null; labels: string | null; at: number
}

/** The record for a survey_responses row. */
export function toSurveyResponse(r: SurveyResponseRow): SurveyResponse {
  const response: SurveyResponse = { surveyId: r.survey_id, version: r.version, kind: r.kind, answers: JSON.parse(r.answers) as SurveyResponse['answers'], at: r.at }
  if (r.language !== null) response.language = r.language
  if (r.consents !== null) response.consents = JSON.parse(r.consents) as Record<string, string>
  if (r.labels !== null) response.labels = JSON.parse(r.labels) as Record<string, string>
  return response
}

/** Reads one saved survey version's definition (its JSON text as stored); undefined: never saved. */
export function createDefinitionReader(db: Database.Database): (brandId: string, surveyId: string, version: number) => string | undefined {
  const definition = db.prepare<[string, string, number], { definition: string }>(
    'SELECT definition FROM survey_versions WHERE brand_id = ? AND survey_id = ? AND version = ?')
  return (brandId, surveyId, version) => definition.get(brandId, surveyId, version)?.definition
}

/** Sets a conversation's routing columns (by its row id), inside the caller's transaction; returns the columns written. */
export function createRoutingWriter(db: Database.Database): (id: number, routing: Routing) => ReturnType<typeof routingColumns> {
  const set = db.prepare('UPDATE conversations SET topic = ?, skill = ?, priority = ? WHERE id = ?')
  return (id, routing) => {
    const r = routingColumns(routing)
    set.run(r.topic, r.skill, r.priority, id)
    return r
  }
}

/** Writes survey answers into survey_responses, inside the caller's transaction. */
export function createResponseWriter(db: Database.Database): (brandId: string, convId: string, clientMsgId: string, r: SurveyResponse) => void {
  const definition = createDefinitionReader(db)
  const insert = db.prepare(`INSERT INTO survey_responses
    (brand_id, conv_id, survey_id, version, kind, client_msg_id, language, answers, consents, labels, csat, nps, at)
    VALUES (@brand, @conv, @survey, @version, @kind, @client, @language, @answers, @consents, @labels, @csat, @nps, @at)`)
  return (brandId, convId, clientMsgId, r) => {
    const stored = definition(brandId, r.surveyId, r.version)
    const { csat, nps } = scoresOf(stored ? (JSON.parse(stored) as Survey) : null, r.answers)
    insert.run({
      brand: brandId, conv: convId, survey: r.surveyId, version: r.version, kind: r.kind, client: clientMsgId,
      language: r.language ?? null, answers: JSON.stringify(r.answers),
      consents: r.consents ? JSON.stringify(r.consents) : null, labels: r.labels ? JSON.stringify(r.labels) : null,
      csat, nps, at: r.at,
    })
  }
}
