import type { SurveysConfig } from '../contract/surveys.js'

/** Where a surveys document is wrong: a JSON path (`/surveys/0/fields/2/options`) and why, in English. */
export interface SurveyConfigProblem {
  path: string
  message: string
}

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
  throw new Error('not yet')
}
