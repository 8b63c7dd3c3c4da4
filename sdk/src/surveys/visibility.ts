import type { Answers, FieldCondition, Survey, SurveyField } from '../contract/surveys.js'
import { answerOf, isAnswered } from './answered.js'

/**
 * The fields shown, in order, given the answers so far: a field with `when` shows only when its
 * condition holds against the answer of the field it names (which must itself be shown; a hidden
 * field counts as unanswered).
 */
export function visibleFields(survey: Pick<Survey, 'fields'>, answers: Readonly<Answers>): SurveyField[] {
  // Answers of the fields shown so far: a condition can only see an earlier, shown field, so a
  // hidden parent hides every field that depends on it, down the chain.
  const shown = new Map<string, unknown>()
  return survey.fields.filter((field) => {
    if (field.when && !holds(field.when, shown.get(field.when.field))) return false
    shown.set(field.id, answerOf(answers, field.id))
    return true
  })
}

function holds(when: FieldCondition, raw: unknown): boolean {
  if ('answered' in when) return isAnswered(raw) === when.answered
  if (!isAnswered(raw)) return false
  // Stored text is trimmed; compare what will be stored, so a condition reads the same on both.
  const value = typeof raw === 'string' ? raw.trim() : raw
  const picks: unknown[] = Array.isArray(value) ? value : [value]
  return 'is' in when ? picks.includes(when.is) : picks.some((pick) => when.in.includes(pick as string))
}
