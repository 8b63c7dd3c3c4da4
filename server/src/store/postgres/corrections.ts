import type { AnswerValue, Survey } from '@parley/sdk/contract'
import type { VisitorDataStore } from '../store.js'
import type { PgDb } from './db.js'
import { jsonb } from './rows.js'
import { scoresOf } from '../survey-scores.js'
import { contactPartSql } from '../contact-fields.js'

// Corrections of a visitor's data: the old value is overwritten in place, not kept anywhere (the
// audit log records that a correction happened, never a value). A contact correction reaches every
// conversation of the visitors that has a contact, their verified customer record, and their survey
// answers to fields that ask for the name or the e-mail (contact-fields.ts); an answers correction recomputes the
// response's csat and nps off the survey version it answered, as writeSurveyResponse computes them.

type CorrectionMethods = Pick<VisitorDataStore, 'correctContact' | 'correctSurveyAnswers'>

/**
 * The visitors' ($2) survey responses with an answer to a `name` ($3, when given) or `email` ($4)
 * purpose field, and the answers to write over those, as one jsonb patch per response.
 */
const CONTACT_ANSWER_PATCHES = `SELECT r.conv_id, r.survey_id,
    jsonb_object_agg(f ->> 'id', CASE ${contactPartSql('f')} WHEN 'name' THEN to_jsonb($3::text) ELSE to_jsonb($4::text) END) AS patch
  FROM survey_responses r
  JOIN conversations c ON c.brand_id = r.brand_id AND c.conv_id = r.conv_id
  JOIN survey_versions sv ON sv.brand_id = r.brand_id AND sv.survey_id = r.survey_id AND sv.version = r.version
  CROSS JOIN LATERAL jsonb_array_elements(sv.definition -> 'fields') f
  WHERE r.brand_id = $1 AND c.visitor_id = ANY($2) AND r.answers ? (f ->> 'id')
    AND ((${contactPartSql('f')} = 'name' AND $3::text IS NOT NULL) OR (${contactPartSql('f')} = 'email' AND $4::text IS NOT NULL))
  GROUP BY r.conv_id, r.survey_id`

/** The Store's correction methods over `db`. */
export function createCorrections(db: PgDb): CorrectionMethods {
  return {
    async correctContact(brandId, visitorIds, contact) {
      const name = contact.name ?? null
      const email = contact.email ?? null
      const patch = jsonb({ ...(name !== null ? { name } : {}), ...(email !== null ? { email } : {}) })
      return db.tx(brandId, async (tx) => {
        const conversations = await tx.run(`UPDATE conversations c SET contact = c.contact || $3::jsonb
          FROM (SELECT conv_id FROM conversations WHERE brand_id = $1 AND visitor_id = ANY($2) AND contact IS NOT NULL
            ORDER BY conv_id FOR UPDATE) l
          WHERE c.brand_id = $1 AND c.conv_id = l.conv_id`, [brandId, visitorIds, patch])
        const customers = await tx.run(`UPDATE customers SET name = coalesce($3, name), email = coalesce($4, email)
          WHERE brand_id = $1 AND visitor_id = ANY($2)`, [brandId, visitorIds, name, email])
        const surveyResponses = await tx.run(`UPDATE survey_responses r SET answers = r.answers || p.patch
          FROM (${CONTACT_ANSWER_PATCHES}) p WHERE r.brand_id = $1 AND r.conv_id = p.conv_id AND r.survey_id = p.survey_id`,
        [brandId, visitorIds, name, email])
        return { conversations, customers, surveyResponses }
      })
    },

    async correctSurveyAnswers(brandId, convId, surveyId, answers) {
      return db.tx(brandId, async (tx) => {
        const r = await tx.one<{ answers: Record<string, AnswerValue>; definition: Survey | null }>(`SELECT r.answers, sv.definition
          FROM survey_responses r LEFT JOIN survey_versions sv ON sv.brand_id = r.brand_id AND sv.survey_id = r.survey_id AND sv.version = r.version
          WHERE r.brand_id = $1 AND r.conv_id = $2 AND r.survey_id = $3 FOR UPDATE OF r`, [brandId, convId, surveyId])
        if (!r) return false
        const next: Record<string, AnswerValue> = { ...r.answers }
        for (const [field, value] of Object.entries(answers)) {
          if (value === null) delete next[field]
          else next[field] = value
        }
        const { csat, nps } = scoresOf(r.definition, next)
        await tx.run('UPDATE survey_responses SET answers = $4::jsonb, csat = $5, nps = $6 WHERE brand_id = $1 AND conv_id = $2 AND survey_id = $3',
          [brandId, convId, surveyId, jsonb(next), csat, nps])
        return true
      })
    },
  }
}
