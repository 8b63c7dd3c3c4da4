import type { SurveyKind } from '../contract/survey-fields.js'
import type { SurveyField } from '../contract/surveys.js'
import type { SurveyConfigProblem } from './survey-config-problem.js'

// One field's keys against its type, checked on save: which keys fit which type, bounds in order,
// options unique, purposes on the types that carry them, routes on pre-chat surveys only.

const TEXT_TYPES: readonly string[] = ['text', 'longtext', 'email', 'phone']
const CHOICE_TYPES: readonly string[] = ['choice', 'multichoice']

/** Keys that only some types take, and those types. */
const KEY_TYPES: ReadonlyArray<readonly [keyof SurveyField, readonly string[]]> = [
  ['minLength', TEXT_TYPES], ['maxLength', TEXT_TYPES],
  ['min', ['number']], ['max', ['number']], ['integer', ['number']],
  ['format', ['text']],
  ['minChoices', ['multichoice']], ['maxChoices', ['multichoice']],
]

/** The types each purpose fits. */
const PURPOSE_TYPES: Readonly<Record<string, readonly string[]>> = {
  email: ['email'], phone: ['phone'], name: ['text'], message: ['text', 'longtext'],
}

/** The first problem with `field` (at JSON path `at`) in a survey of `kind`, or null. */
export function checkField(field: SurveyField, at: string, kind: SurveyKind): SurveyConfigProblem | null {
  const problem = (key: string, message: string): SurveyConfigProblem => ({ path: `${at}/${key}`, message })
  const isChoice = CHOICE_TYPES.includes(field.type)
  if (isChoice && !field.options) return problem('options', `a ${field.type} field needs options`)
  if (!isChoice && field.options) return problem('options', `only choice and multichoice fields take options, not ${field.type}`)
  for (const [key, types] of KEY_TYPES) {
    if (field[key] !== undefined && !types.includes(field.type)) return problem(key, `${key} fits ${types.join(', ')} fields, not ${field.type}`)
  }
  if (field.min !== undefined && field.max !== undefined && field.min > field.max) return problem('max', `max ${field.max} is under min ${field.min}`)
  if (field.minLength !== undefined && field.maxLength !== undefined && field.minLength > field.maxLength) {
    return problem('maxLength', `maxLength ${field.maxLength} is under minLength ${field.minLength}`)
  }
  if (field.minChoices !== undefined && field.maxChoices !== undefined && field.minChoices > field.maxChoices) {
    return problem('maxChoices', `maxChoices ${field.maxChoices} is under minChoices ${field.minChoices}`)
  }
  const options = field.options ?? []
  const most = Math.max(field.minChoices ?? 0, field.maxChoices ?? 0)
  if (options.length > 0 && most > options.length) {
    return problem(field.maxChoices !== undefined ? 'maxChoices' : 'minChoices', `${most} choices asked of ${options.length} options`)
  }
  const seen = new Set<string>()
  for (const [i, option] of options.entries()) {
    if (seen.has(option.value)) return problem(`options/${i}/value`, `option "${option.value}" is listed twice`)
    seen.add(option.value)
    if (option.route && kind !== 'pre') return problem(`options/${i}/route`, `only pre-chat surveys route, not ${kind} surveys`)
  }
  if (field.purpose && !PURPOSE_TYPES[field.purpose]?.includes(field.type)) {
    return problem('purpose', `purpose ${field.purpose} fits ${PURPOSE_TYPES[field.purpose]?.join(' or ')} fields, not ${field.type}`)
  }
  return null
}
