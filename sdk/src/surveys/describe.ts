import type { AnswerProblem } from './answer-problem.js'

/** A problem in English for an error message's second `%s`: "is required", "is longer than 500 characters"… */
export function describeProblem(problem: AnswerProblem): string {
  throw new Error('not yet')
}
