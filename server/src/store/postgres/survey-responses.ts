import type { Survey, SurveyResponse } from '@parley/sdk/contract'
import type { PgTx } from './db.js'
import { jsonb } from './rows.js'
import { scoresOf } from '../survey-scores.js'

// Writing a survey answer into survey_responses inside the caller's transaction: the pre-chat
// answer a conversation opens with (openConversation), an offline survey's answer with the message
// that opens its conversation (appendMessages), and later answers (addSurveyResponse). The csat and
// nps columns are filled from the survey version the answer names, as stored, so no caller can pass
// other field types.

/**
 * Stores `response` for the conversation; false, writing nothing, when that survey was already
 * answered there (the primary key (brand, conversation, survey) decides, so two racing writers
 * cannot both store one).
 */
export async function writeSurveyResponse(tx: PgTx, brandId: string, convId: string, clientMsgId: string, response: SurveyResponse): Promise<boolean> {
  const stored = await tx.one<{ definition: Survey }>(
    'SELECT definition FROM survey_versions WHERE brand_id = $1 AND survey_id = $2 AND version = $3',
    [brandId, response.surveyId, response.version])
  const { csat, nps } = scoresOf(stored?.definition ?? null, response.answers)
  const written = await tx.run(`INSERT INTO survey_responses
    (brand_id, conv_id, survey_id, version, kind, client_msg_id, language, answers, consents, labels, csat, nps, at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $10::jsonb, $11, $12, $13)
    ON CONFLICT (brand_id, conv_id, survey_id) DO NOTHING`, [
    brandId, convId, response.surveyId, response.version, response.kind, clientMsgId, response.language ?? null,
    jsonb(response.answers), jsonb(response.consents ?? null), jsonb(response.labels ?? null), csat, nps, response.at,
  ])
  return written > 0
}
