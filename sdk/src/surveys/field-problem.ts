import { SCALES, SURVEY_LIMITS } from '../contract/survey-fields.js'
import type { SurveyField } from '../contract/surveys.js'
import type { AnswerProblem } from './answer-problem.js'
import { isAnswered } from './answered.js'
import { isEmail, isInFormat, isPhone } from './text-formats.js'

type Problem = Omit<AnswerProblem, 'field'>

/** What is wrong with `value` as the answer to a shown `field`, or undefined when nothing is. */
export function fieldProblem(field: SurveyField, value: unknown): Problem | undefined {
  if (!isAnswered(value)) return field.required ? { code: 'required' } : undefined
  switch (field.type) {
    case 'text': case 'longtext': case 'email': case 'phone':
      return typeof value === 'string' ? textProblem(field, value.trim()) : { code: 'type' }
    case 'number':
      return numberProblem(value, field.min, field.max, field.integer)
    case 'rating': case 'csat': case 'nps':
      return numberProblem(value, SCALES[field.type][0], SCALES[field.type][1], true)
    case 'yesno':
      return typeof value === 'boolean' ? undefined : { code: 'type' }
    case 'consent':
      if (typeof value !== 'boolean') return { code: 'type' }
      return field.required && !value ? { code: 'required' } : undefined
    case 'choice':
      if (typeof value !== 'string') return { code: 'type' }
      return isOption(field, value) ? undefined : { code: 'option' }
    case 'multichoice':
      return picksProblem(field, value)
  }
}

function textProblem(field: SurveyField, text: string): Problem | undefined {
  // The maximum length before any format, so no pattern ever reads an oversized string.
  const max = field.maxLength ?? (field.type === 'longtext' ? SURVEY_LIMITS.longText : SURVEY_LIMITS.shortText)
  if (text.length > max) return { code: 'too-long', limit: max }
  // The format before the minimum length: typing more never mends "12-34" in a digits-only field,
  // so "at least 6 characters" would send the visitor the wrong way.
  if (field.type === 'email' && !isEmail(text)) return { code: 'email' }
  if (field.type === 'phone' && !isPhone(text)) return { code: 'phone' }
  if (field.format && !isInFormat(text, field.format)) return { code: 'format' }
  if (field.minLength !== undefined && text.length < field.minLength) return { code: 'too-short', limit: field.minLength }
  return undefined
}

function numberProblem(value: unknown, min: number | undefined, max: number | undefined, integer: boolean | undefined): Problem | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return { code: 'type' }
  if (integer && !Number.isInteger(value)) return { code: 'not-integer' }
  if (min !== undefined && value < min) return { code: 'too-small', limit: min }
  if (max !== undefined && value > max) return { code: 'too-large', limit: max }
  return undefined
}

function picksProblem(field: SurveyField, value: unknown): Problem | undefined {
  // A list with a repeated pick is malformed (no form can send it), so it is a `type` problem.
  if (!Array.isArray(value) || value.some((pick) => typeof pick !== 'string') || new Set(value).size !== value.length) {
    return { code: 'type' }
  }
  if (!value.every((pick: string) => isOption(field, pick))) return { code: 'option' }
  if (field.minChoices !== undefined && value.length < field.minChoices) return { code: 'too-few', limit: field.minChoices }
  if (field.maxChoices !== undefined && value.length > field.maxChoices) return { code: 'too-many', limit: field.maxChoices }
  return undefined
}

function isOption(field: SurveyField, value: string): boolean {
  return field.options?.some((option) => option.value === value) ?? false
}
