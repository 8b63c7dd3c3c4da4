import type { SurveyKind } from '../contract/survey-fields.js'
import type { Survey, SurveysConfig } from '../contract/surveys.js'
import { checkCondition } from './check-condition.js'
import { checkField } from './check-field.js'
import type { SurveyConfigProblem } from './survey-config-problem.js'


/**
 * What the schema cannot say, checked on save: survey ids unique, field ids unique per survey,
 * option values unique per field; `options` on choice fields only (and required there); length keys
 * on text types only, min/max/integer on number only, format on `text` only, choice counts on
 * multichoice only; min ≤ max, minLength ≤ maxLength, minChoices ≤ maxChoices ≤ options; a `when`
 * names an earlier field and tests a value it can hold (an option's value for choices, a boolean for
 * yes/no and consent); purposes fit their type (`email` on email, `phone` on phone, `name` on text,
 * `message` on text or longtext) and each appears at most once; `route` only on options of pre
 * surveys; an offline survey has a required `email` field and a required `message` field; `pre`,
 * `post` and `offline` name a survey of that kind in the list; `surveyIdsInUse` (those the brand's
 * rules name) are all in the list with the right kind. Null when all is well.
 */
export function checkSurveys(config: SurveysConfig, surveyIdsInUse: ReadonlyMap<string, 'pre' | 'offline'> = new Map()): SurveyConfigProblem | null {
  const kinds = new Map<string, SurveyKind>()
  for (const [i, survey] of config.surveys.entries()) {
    if (kinds.has(survey.id)) return { path: `surveys/${i}/id`, message: `survey id "${survey.id}" is used twice` }
    kinds.set(survey.id, survey.kind)
    const problem = checkSurvey(survey, `surveys/${i}`)
    if (problem) return problem
  }
  for (const kind of ['pre', 'post', 'offline'] as const) {
    const id = config[kind]
    if (id !== undefined && kinds.get(id) !== kind) return { path: kind, message: `"${id}" is no ${kind} survey of the list` }
  }
  for (const [id, kind] of surveyIdsInUse) {
    if (kinds.get(id) !== kind) return { path: 'surveys', message: `a rule names ${kind} survey "${id}", which the list lacks` }
  }
  return null
}

function checkSurvey(survey: Survey, at: string): SurveyConfigProblem | null {
  const purposes = new Set<string>()
  for (const [j, field] of survey.fields.entries()) {
    const fieldAt = `${at}/fields/${j}`
    const earlier = survey.fields.slice(0, j)
    if (earlier.some((f) => f.id === field.id)) return { path: `${fieldAt}/id`, message: `field id "${field.id}" is used twice` }
    const problem = checkField(field, fieldAt, survey.kind) ?? checkCondition(field, earlier, fieldAt)
    if (problem) return problem
    if (field.purpose && purposes.has(field.purpose)) return { path: `${fieldAt}/purpose`, message: `purpose ${field.purpose} is given twice` }
    if (field.purpose) purposes.add(field.purpose)
  }
  if (survey.kind === 'offline') {
    // The relay needs both to open the offline conversation and reply to it, so neither may hide.
    for (const purpose of ['email', 'message'] as const) {
      if (!survey.fields.some((f) => f.purpose === purpose && f.required && !f.when)) {
        return { path: `${at}/fields`, message: `an offline survey needs a required, always shown field with purpose ${purpose}` }
      }
    }
  }
  return null
}
