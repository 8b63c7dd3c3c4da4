import { SCALES } from '../contract/survey-fields.js'
import type { SurveyField } from '../contract/surveys.js'
import type { SurveyConfigProblem } from './survey-config-problem.js'

/**
 * The problem with `field.when` (at JSON path `at`), or null: it must name an earlier field and test
 * a value that field can hold, so no condition is silently never true.
 */
export function checkCondition(field: SurveyField, earlier: readonly SurveyField[], at: string): SurveyConfigProblem | null {
  const when = field.when
  if (!when) return null
  const parent = earlier.find((f) => f.id === when.field)
  if (!parent) return { path: `${at}/when/field`, message: `"${when.field}" is no earlier field of this survey` }
  if ('answered' in when) return null
  const values: unknown[] = 'is' in when ? [when.is] : when.in
  const key = 'is' in when ? 'is' : 'in'
  for (const value of values) {
    if (!canHold(parent, value)) return { path: `${at}/when/${key}`, message: `${parent.type} field "${parent.id}" never holds ${JSON.stringify(value)}` }
  }
  return null
}

function canHold(field: SurveyField, value: unknown): boolean {
  switch (field.type) {
    case 'choice': case 'multichoice':
      return field.options?.some((option) => option.value === value) ?? false
    case 'yesno': case 'consent':
      return typeof value === 'boolean'
    case 'rating': case 'csat': case 'nps':
      return Number.isInteger(value) && (value as number) >= SCALES[field.type][0] && (value as number) <= SCALES[field.type][1]
    case 'number':
      return typeof value === 'number' && !(field.integer && !Number.isInteger(value))
        && !(field.min !== undefined && value < field.min) && !(field.max !== undefined && value > field.max)
    default:
      return typeof value === 'string' && value.trim() === value && value !== ''
  }
}
