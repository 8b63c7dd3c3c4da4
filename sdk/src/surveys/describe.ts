import type { AnswerProblem } from './answer-problem.js'

/** A problem in English for an error message's second `%s`: "is required", "is longer than 500 characters"… */
export function describeProblem(problem: AnswerProblem): string {
  const limit = problem.limit ?? 0
  switch (problem.code) {
    case 'required': return 'is required'
    case 'type': return 'is not the kind of value this field takes'
    case 'too-short': return `is shorter than ${count(limit, 'character')}`
    case 'too-long': return `is longer than ${count(limit, 'character')}`
    case 'too-small': return `is less than ${limit}`
    case 'too-large': return `is more than ${limit}`
    case 'not-integer': return 'is not a whole number'
    case 'email': return 'is not an e-mail address'
    case 'phone': return 'is not a phone number'
    case 'format': return 'is not in the format the field asks for'
    case 'option': return 'is not one of the options'
    case 'too-few': return `has fewer than ${count(limit, 'choice')}`
    case 'too-many': return `has more than ${count(limit, 'choice')}`
    case 'unknown-field': return 'is not a field of this survey'
  }
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`
}
