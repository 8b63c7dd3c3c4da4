import type { AnswerValue, Answers } from '../contract/surveys.js'

// Answers arrive as untrusted JSON: read only own keys, so `constructor` or `__proto__` never
// reach an inherited member, and treat blank text, an empty list and null as no answer at all.

/** The answer to `id`, only if `answers` has it as its own key. */
export function answerOf(answers: Readonly<Answers>, id: string): unknown {
  return answers !== null && typeof answers === 'object' && Object.prototype.hasOwnProperty.call(answers, id)
    ? answers[id]
    : undefined
}

/** Whether a value counts as answered: not undefined or null, not blank text, not an empty list. */
export function isAnswered(value: unknown): value is AnswerValue {
  if (typeof value === 'string') return value.trim() !== ''
  return Array.isArray(value) ? value.length > 0 : value != null
}
