import type { Survey, SurveyResponse, SurveysConfig } from '@parley/sdk/contract'
import type { Store, SurveyResponseRequest, SurveyResponseResult } from '../store.js'
import { maySee } from '../../policy/conversation-policy.js'
import type { PgDb, PgTx } from './db.js'
import { jsonb } from './rows.js'
import { readConversation } from './conversation-lookup.js'
import { factsOf } from '../conversation-columns.js'
import { writeSurveyResponse } from './survey-responses.js'

// Surveys on PostgreSQL: the brand's document (brands.surveys_config), every saved version
// (survey_versions: a version, once saved, never changes; answers read through it), and the answers
// visitors give in their conversations (survey_responses, written by survey-responses.ts, which
// fills the csat and nps columns from the version answered).

type SurveyMethods = Pick<Store, 'getSurveysConfig' | 'setSurveysConfig' | 'getSurveyVersion' | 'latestSurveyVersions' | 'addSurveyResponse' | 'listSurveyResponses'>

/** A survey_responses row as `pg` returns it (jsonb parsed). */
interface SurveyResponseRow {
  survey_id: string; version: number; kind: SurveyResponse['kind']; client_msg_id: string; language: string | null
  answers: SurveyResponse['answers']; consents: Record<string, string> | null; labels: Record<string, string> | null; at: number
}

/** The record for a survey_responses row (absent optional fields left out, as stored). */
function toSurveyResponse(r: SurveyResponseRow): SurveyResponse {
  const response: SurveyResponse = { surveyId: r.survey_id, version: r.version, kind: r.kind, answers: r.answers, at: r.at }
  if (r.language !== null) response.language = r.language
  if (r.consents !== null) response.consents = r.consents
  if (r.labels !== null) response.labels = r.labels
  return response
}

/**
 * Saves one new survey version. Saving the same content under its number again is a no-op; other
 * content under a saved number throws (two saves racing to one number must not both win: the
 * second insert waits for the first's key, then finds it).
 */
async function saveVersion(tx: PgTx, brandId: string, s: Survey, at: number): Promise<void> {
  if (s.version === undefined) throw new Error(`survey ${s.id} is saved without a version`)
  const inserted = await tx.run(`INSERT INTO survey_versions (brand_id, survey_id, version, kind, definition, created_at)
    VALUES ($1, $2, $3, $4, $5::jsonb, $6) ON CONFLICT DO NOTHING`, [brandId, s.id, s.version, s.kind, jsonb(s), at])
  if (inserted > 0) return
  const same = await tx.one(`SELECT 1 FROM survey_versions WHERE brand_id = $1 AND survey_id = $2 AND version = $3 AND definition = $4::jsonb`,
    [brandId, s.id, s.version, jsonb(s)])
  if (!same) throw new Error(`survey ${s.id} version ${s.version} is already saved with other content`)
}

/** The stored answer to a survey in a conversation, or null. */
async function storedResponse(tx: PgTx, req: SurveyResponseRequest): Promise<SurveyResponseRow | null> {
  return tx.one<SurveyResponseRow>('SELECT * FROM survey_responses WHERE brand_id = $1 AND conv_id = $2 AND survey_id = $3',
    [req.brandId, req.convId, req.response.surveyId])
}

/** The answer to a survey already answered in the conversation: this one again (its clientMsgId), or another. */
function answeredBefore(stored: SurveyResponseRow, req: SurveyResponseRequest): SurveyResponseResult {
  return stored.client_msg_id === req.clientMsgId
    ? { ok: true, response: toSurveyResponse(stored), duplicate: true }
    : { ok: false, code: 'PARLEY_ERR_SURVEY_ANSWERED' }
}

async function answer(tx: PgTx, req: SurveyResponseRequest): Promise<SurveyResponseResult> {
  const conv = await readConversation(tx, req.brandId, req.convId, false)
  // Closed conversations take answers: the post-chat survey is shown when one closes.
  if (!conv || !maySee(factsOf(conv), { kind: 'visitor', id: req.visitorId }, false)) return { ok: false, code: 'PARLEY_ERR_CONV_NOT_FOUND' }
  const stored = await storedResponse(tx, req)
  if (stored) return answeredBefore(stored, req)
  if (await writeSurveyResponse(tx, req.brandId, req.convId, req.clientMsgId, req.response)) {
    return { ok: true, response: req.response, duplicate: false }
  }
  // Another node stored an answer between the read and the insert: judge that one.
  return answeredBefore((await storedResponse(tx, req))!, req)
}

/** The survey methods of the PostgreSQL store over `db`. */
export function createSurveys(db: PgDb): SurveyMethods {
  return {
    async getSurveysConfig(brandId) {
      return db.tx(brandId, async (tx) =>
        (await tx.one<{ surveys_config: SurveysConfig | null }>('SELECT surveys_config FROM brands WHERE brand_id = $1', [brandId]))?.surveys_config ?? null)
    },
    async setSurveysConfig(brandId, config, newVersions, at) {
      await db.tx(brandId, async (tx) => {
        for (const s of newVersions) await saveVersion(tx, brandId, s, at)
        await tx.run('UPDATE brands SET surveys_config = $2::jsonb WHERE brand_id = $1', [brandId, jsonb(config)])
      })
    },
    async getSurveyVersion(brandId, surveyId, version) {
      return db.tx(brandId, async (tx) => (await tx.one<{ definition: Survey }>(
        'SELECT definition FROM survey_versions WHERE brand_id = $1 AND survey_id = $2 AND version = $3', [brandId, surveyId, version]))?.definition ?? null)
    },
    async latestSurveyVersions(brandId) {
      const rows = await db.tx(brandId, (tx) => tx.rows<{ definition: Survey }>(`SELECT DISTINCT ON (survey_id) definition
        FROM survey_versions WHERE brand_id = $1 ORDER BY survey_id, version DESC`, [brandId]))
      return new Map(rows.map((r) => [r.definition.id, r.definition]))
    },
    async addSurveyResponse(req) { return db.tx(req.brandId, (tx) => answer(tx, req)) },
    async listSurveyResponses(brandId, convId) {
      const rows = await db.tx(brandId, (tx) => tx.rows<SurveyResponseRow>(
        'SELECT * FROM survey_responses WHERE brand_id = $1 AND conv_id = $2 ORDER BY at, survey_id COLLATE "C"', [brandId, convId]))
      return rows.map(toSurveyResponse)
    },
  }
}
