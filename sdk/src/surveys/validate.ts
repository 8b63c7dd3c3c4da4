import type { Answers, AnswerValue, Survey } from '../contract/surveys.js'
import type { AnswerProblem } from './answer-problem.js'
import { answerOf, isAnswered } from './answered.js'
import { fieldProblem } from './field-problem.js'
import { visibleFields } from './visibility.js'

/** The relay's verdict: the answers to store (hidden and empty ones dropped, text trimmed), or the first problem. */
export type ValidatedAnswers = { ok: true; answers: Answers } | { ok: false; problem: AnswerProblem }

/**
 * Every problem with `answers` to `survey`, one per field at most, in field order: what the form
 * shows as the visitor types. Answers to hidden fields are ignored; answers to unknown fields are
 * problems. Empty strings and empty lists count as unanswered.
 */
export function answerProblems(survey: Pick<Survey, 'fields'>, answers: Readonly<Answers>): AnswerProblem[] {
  const problems: AnswerProblem[] = []
  for (const field of visibleFields(survey, answers)) {
    const problem = fieldProblem(field, answerOf(answers, field.id))
    if (problem) problems.push({ field: field.id, ...problem })
  }
  // Unknown keys come last, after every field's own problem; a Set, so `constructor` is no field.
  const known = new Set(survey.fields.map((field) => field.id))
  const keys = answers !== null && typeof answers === 'object' ? Object.keys(answers) : []
  for (const key of keys) if (!known.has(key)) problems.push({ field: key, code: 'unknown-field' })
  return problems
}

/** The relay's check: the first problem, or the answers as they will be stored. */
export function validateAnswers(survey: Pick<Survey, 'fields'>, answers: Readonly<Answers>): ValidatedAnswers {
  const [problem] = answerProblems(survey, answers)
  if (problem) return { ok: false, problem }
  const clean: Answers = {}
  for (const field of visibleFields(survey, answers)) {
    const value = answerOf(answers, field.id)
    if (!isAnswered(value)) continue
    clean[field.id] = typeof value === 'string' ? value.trim() : Array.isArray(value) ? [...value] : value as AnswerValue
  }
  return { ok: true, answers: clean }
}
