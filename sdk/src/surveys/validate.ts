import type { Answers, Survey } from '../contract/surveys.js'
import type { AnswerProblem } from './answer-problem.js'

/** The relay's verdict: the answers to store (hidden and empty ones dropped, text trimmed), or the first problem. */
export type ValidatedAnswers = { ok: true; answers: Answers } | { ok: false; problem: AnswerProblem }

/**
 * Every problem with `answers` to `survey`, one per field at most, in field order: what the form
 * shows as the visitor types. Answers to hidden fields are ignored; answers to unknown fields are
 * problems. Empty strings and empty lists count as unanswered.
 */
export function answerProblems(survey: Pick<Survey, 'fields'>, answers: Readonly<Answers>): AnswerProblem[] {
  throw new Error('not yet')
}

/** The relay's check: the first problem, or the answers as they will be stored. */
export function validateAnswers(survey: Pick<Survey, 'fields'>, answers: Readonly<Answers>): ValidatedAnswers {
  throw new Error('not yet')
}
