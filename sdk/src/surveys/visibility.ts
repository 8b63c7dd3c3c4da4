import type { Answers, Survey, SurveyField } from '../contract/surveys.js'

/**
 * The fields shown, in order, given the answers so far: a field with `when` shows only when its
 * condition holds against the answer of the field it names (which must itself be shown; a hidden
 * field counts as unanswered).
 */
export function visibleFields(survey: Pick<Survey, 'fields'>, answers: Readonly<Answers>): SurveyField[] {
  throw new Error('not yet')
}
