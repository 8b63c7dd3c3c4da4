import type { Survey, SurveyResponse } from '@parley/sdk/contract'

// The scores a survey answer carries, for both stores: pure, no database in it.

/**
 * The answers of the survey's first `csat` and first `nps` field, copied into their own columns so
 * reports aggregate without parsing answers. Read off the survey version the response answered, as
 * stored in survey_versions: the store finds the field types itself, so no caller can pass others.
 */
export function scoresOf(survey: Pick<Survey, 'fields'> | null, answers: SurveyResponse['answers']): { csat: number | null; nps: number | null } {
  const first = (type: 'csat' | 'nps'): number | null => {
    const field = survey?.fields.find((f) => f.type === type)
    const value = field ? answers[field.id] : undefined
    return typeof value === 'number' ? value : null
  }
  return { csat: first('csat'), nps: first('nps') }
}
