import type { AnswerValue, Survey } from '@parley/sdk/contract'
import type { RelayMasker } from '@parley/sdk/masking'
import { describeProblem, fieldProblem } from '@parley/sdk/surveys'
import { maskAnswers, numberHiddenByMasking } from '../masking/answer-masking.js'

// A correction of stored survey answers, checked as the answers were when the visitor gave them:
// each new value against its field in the survey version the response answered (the same checks
// the widget and the relay ran), then masked as a submission is. Conditions are not re-run: a
// correction fixes what is stored, field by field, and null (or a blank value) clears an answer.

/** The answers to store (masked, blanks as null), or the field refused (null: a key not repeated) and why, in English. */
export type CheckedCorrection =
  | { ok: true; answers: Record<string, AnswerValue | null> }
  | { ok: false; field: string | null; problem: string }

/** Checks and masks `answers` against `survey` (the version the corrected response answered). */
export function checkAnswerCorrection(survey: Pick<Survey, 'fields'>, masker: RelayMasker, answers: Readonly<Record<string, AnswerValue | null>>): CheckedCorrection {
  const fields = new Map(survey.fields.map((f) => [f.id, f]))
  const given: Record<string, AnswerValue> = {}
  const cleared: string[] = []
  for (const [id, value] of Object.entries(answers)) {
    const field = fields.get(id)
    if (!field) {
      // The key is the caller's own text, echoed in the error: one hiding a value is not repeated.
      const named = masker.hiddenInId(id) === null ? id : null
      return { ok: false, field: named, problem: describeProblem({ field: id, code: 'unknown-field' }) }
    }
    const blank = value === null || (typeof value === 'string' && value.trim() === '') || (Array.isArray(value) && value.length === 0)
    if (blank) {
      cleared.push(id)
      continue
    }
    const problem = fieldProblem(field, value)
    if (problem) return { ok: false, field: id, problem: describeProblem({ field: id, ...problem }) }
    given[id] = typeof value === 'string' ? value.trim() : value
  }
  const hidden = numberHiddenByMasking(masker, survey, given)
  if (hidden !== null) return { ok: false, field: hidden, problem: 'holds a value masking hides' }
  const masked: Record<string, AnswerValue | null> = maskAnswers(masker, survey, given)
  for (const id of cleared) masked[id] = null
  return { ok: true, answers: masked }
}
