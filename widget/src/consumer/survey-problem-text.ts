import type { AnswerProblem } from '@parley/sdk/surveys'
import { fill } from '../i18n/plural.js'
import type { Strings } from '../i18n/strings.js'

// A survey answer's problem in the widget's language, for the error under its field.

type ProblemKey = 'required' | 'badAnswer' | 'tooShort' | 'tooLong' | 'tooSmall' | 'tooLarge' | 'notInteger' | 'badEmail' | 'badPhone' | 'badFormat' | 'badOption' | 'tooFew' | 'tooMany'

const KEYS: Record<AnswerProblem['code'], ProblemKey> = {
  'required': 'required', 'type': 'badAnswer', 'too-short': 'tooShort', 'too-long': 'tooLong', 'too-small': 'tooSmall', 'too-large': 'tooLarge',
  'not-integer': 'notInteger', 'email': 'badEmail', 'phone': 'badPhone', 'format': 'badFormat', 'option': 'badOption', 'too-few': 'tooFew',
  'too-many': 'tooMany', 'unknown-field': 'badAnswer',
}

/** What the visitor reads under a field (of `type`) with `problem`, its limit filled in; an unticked consent box asks for the tick. */
export function problemText(strings: Strings, problem: Pick<AnswerProblem, 'code' | 'limit'>, type?: string): string {
  if (problem.code === 'required' && type === 'consent') return strings.tickRequired
  return fill(strings[KEYS[problem.code] ?? 'badAnswer'], problem.limit ?? '')
}
