import type Database from 'better-sqlite3'
import type { AnswerValue, Survey } from '@parley/sdk/contract'
import type { Store } from '../store.js'
import { scoresOf } from '../survey-scores.js'
import { contactPartOf } from '../contact-fields.js'
import { createDefinitionReader } from './survey-rows.js'
import { withSecureDelete } from './secure-delete.js'

// Corrections of a visitor's data on SQLite (issue 19): the old value is overwritten in place and
// kept nowhere (secure_delete ON, so not even in the page's free space; the audit log records that
// a correction happened, never a value). A contact correction reaches every conversation of the
// visitors that has a contact, their verified customer record, and their survey answers to fields
// that ask for the name or the e-mail (contact-fields.ts); the counts are the records written. An answers
// correction recomputes the response's csat and nps off the survey version it answered.

type CorrectionMethods = Pick<Store, 'correctContact' | 'correctSurveyAnswers'>

interface ResponseRow { conv_id: string; survey_id: string; version: number; answers: string }

/** The correction methods of the SQLite store. */
export function createVisitorCorrections(db: Database.Database): CorrectionMethods {
  const q = {
    contacts: db.prepare<[string, string], { id: number; contact: string }>(`SELECT id, contact FROM conversations
      WHERE brand_id = ? AND visitor_id IN (SELECT value FROM json_each(?)) AND contact IS NOT NULL`),
    setContact: db.prepare('UPDATE conversations SET contact = ? WHERE id = ?'),
    customers: db.prepare(`UPDATE customers SET name = coalesce(?, name), email = coalesce(?, email)
      WHERE brand_id = ? AND visitor_id IN (SELECT value FROM json_each(?))`),
    responses: db.prepare<[string, string], ResponseRow>(`SELECT r.conv_id, r.survey_id, r.version, r.answers FROM survey_responses r
      JOIN conversations c ON c.brand_id = r.brand_id AND c.conv_id = r.conv_id
      WHERE r.brand_id = ? AND c.visitor_id IN (SELECT value FROM json_each(?))`),
    response: db.prepare<[string, string, string], ResponseRow>(
      'SELECT conv_id, survey_id, version, answers FROM survey_responses WHERE brand_id = ? AND conv_id = ? AND survey_id = ?'),
    setAnswers: db.prepare('UPDATE survey_responses SET answers = ? WHERE brand_id = ? AND conv_id = ? AND survey_id = ?'),
    setScored: db.prepare('UPDATE survey_responses SET answers = ?, csat = ?, nps = ? WHERE brand_id = ? AND conv_id = ? AND survey_id = ?'),
  }
  const definitionOf = createDefinitionReader(db)
  const surveyOf = (brandId: string, r: ResponseRow): Survey | null => {
    const definition = definitionOf(brandId, r.survey_id, r.version)
    return definition ? (JSON.parse(definition) as Survey) : null
  }

  const contactTx = db.transaction((brandId: string, visitorIds: readonly string[], contact: { name?: string; email?: string }) => {
    const ids = JSON.stringify(visitorIds)
    let conversations = 0
    for (const c of q.contacts.all(brandId, ids)) {
      q.setContact.run(JSON.stringify({ ...(JSON.parse(c.contact) as object), ...contact }), c.id)
      conversations++
    }
    const customers = q.customers.run(contact.name ?? null, contact.email ?? null, brandId, ids).changes
    let surveyResponses = 0
    for (const r of q.responses.all(brandId, ids)) {
      const answers = JSON.parse(r.answers) as Record<string, AnswerValue>
      let changed = false
      for (const f of surveyOf(brandId, r)?.fields ?? []) {
        const part = contactPartOf(f)
        const value = part === null ? undefined : contact[part]
        if (value === undefined || !(f.id in answers)) continue
        answers[f.id] = value
        changed = true
      }
      if (!changed) continue
      q.setAnswers.run(JSON.stringify(answers), brandId, r.conv_id, r.survey_id)
      surveyResponses++
    }
    return { conversations, customers, surveyResponses }
  })

  const answersTx = db.transaction((brandId: string, convId: string, surveyId: string, patch: Readonly<Record<string, AnswerValue | null>>) => {
    const r = q.response.get(brandId, convId, surveyId)
    if (!r) return false
    const answers = JSON.parse(r.answers) as Record<string, AnswerValue>
    for (const [field, value] of Object.entries(patch)) {
      if (value === null) delete answers[field]
      else answers[field] = value
    }
    const { csat, nps } = scoresOf(surveyOf(brandId, r), answers)
    q.setScored.run(JSON.stringify(answers), csat, nps, brandId, convId, surveyId)
    return true
  })

  return {
    async correctContact(brandId, visitorIds, contact) {
      if (visitorIds.length === 0) return { conversations: 0, customers: 0, surveyResponses: 0 }
      return withSecureDelete(db, () => contactTx.immediate(brandId, visitorIds, contact))
    },
    async correctSurveyAnswers(brandId, convId, surveyId, answers) {
      return withSecureDelete(db, () => answersTx.immediate(brandId, convId, surveyId, answers))
    },
  }
}
