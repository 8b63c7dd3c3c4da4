import type { Answers, OfflineContact, Routing, Survey, SurveyKind, SurveyResponse, SurveySubmission } from '@parley/sdk/contract'
import type { RelayMasker } from '@parley/sdk/masking'
import { consentTexts, describeProblem, fieldLabels, routeOf, validateAnswers } from '@parley/sdk/surveys'
import type { Store } from '../store/store.js'
import { maskAnswers, numberHiddenByMasking } from '../masking/answer-masking.js'

// A visitor's survey submission, from the wire to what is stored: the one path the relay's frames
// (conversation.open, survey.answer) and the offline form's REST route share.

/** A submission that may be stored: its survey (that version), the response to store, and the routing it gives. */
export interface AcceptedSubmission {
  ok: true
  survey: Survey
  response: SurveyResponse
  routing: Routing
  /** The visitor's name and e-mail from the fields with those purposes (masked as stored); null when neither was answered. */
  contact: OfflineContact | null
}

/** The longest contact name kept, as for the offline form's own `name`. */
export const MAX_CONTACT_NAME = 128

/** Why a submission is refused: the code and its message arguments, and the field for an answer error. */
export interface RefusedSubmission {
  ok: false
  code: 'PARLEY_ERR_SURVEY_NOT_FOUND' | 'PARLEY_ERR_SURVEY_ANSWER_INVALID'
  args: string[]
  field?: string
}

/**
 * Checks a visitor's submission against the saved version it names (which must exist and be a
 * survey of `kind`), validates the answers with the same rules the widget used (validateAnswers),
 * masks free-text answers with the brand's masker (fields with purpose `email` or `phone` keep the
 * address, as the offline form's contact does; a number masking would hide is refused, since it
 * cannot be masked and stay a number), and builds the response to store: version, kind,
 * language, the consent texts agreed to, the labels as asked, `at`; and the routing its options set.
 * Stores nothing.
 */
export async function acceptSubmission(
  store: Store, brandId: string, masker: RelayMasker, submission: SurveySubmission, kind: SurveyKind, at: number,
): Promise<AcceptedSubmission | RefusedSubmission> {
  const survey = await store.getSurveyVersion(brandId, submission.surveyId, submission.version)
  // Another kind is as unknown as a missing one: a post-chat survey cannot open a conversation.
  if (!survey || survey.kind !== kind) {
    return { ok: false, code: 'PARLEY_ERR_SURVEY_NOT_FOUND', args: [submission.surveyId, String(submission.version)] }
  }
  const checked = validateAnswers(survey, submission.answers)
  if (!checked.ok) {
    const { problem } = checked
    // An unknown key is the visitor's own text, echoed in the error and its log line: like an id
    // (RelayMasker.hiddenInId), one that hides a value is not repeated.
    if (problem.code === 'unknown-field' && masker.hiddenInId(problem.field) !== null) {
      return { ok: false, code: 'PARLEY_ERR_SURVEY_ANSWER_INVALID', args: ['(not named)', 'is not a field of this survey and holds a value masking hides'] }
    }
    return { ok: false, code: 'PARLEY_ERR_SURVEY_ANSWER_INVALID', args: [problem.field, describeProblem(problem)], field: problem.field }
  }
  // Routing, consents and labels read the answers as given (option values, booleans): masking only
  // changes free text, which none of them looks at.
  const answers = checked.answers
  const hidden = numberHiddenByMasking(masker, survey, answers)
  if (hidden !== null) {
    return { ok: false, code: 'PARLEY_ERR_SURVEY_ANSWER_INVALID', args: [hidden, 'holds a value masking hides'], field: hidden }
  }
  const response: SurveyResponse = {
    surveyId: survey.id, version: submission.version, kind, answers: maskAnswers(masker, survey, answers), at,
  }
  if (submission.language !== undefined) response.language = submission.language
  const consents = consentTexts(survey, answers, submission.language)
  if (Object.keys(consents).length > 0) response.consents = consents
  const labels = fieldLabels(survey, answers, submission.language)
  if (Object.keys(labels).length > 0) response.labels = labels
  return { ok: true, survey, response, routing: routeOf(survey, answers), contact: contactOf(survey, response.answers) }
}

/** The contact the `name` and `email` purpose fields give, read from the masked answers; null when neither holds text. */
function contactOf(survey: Survey, answers: Answers): OfflineContact | null {
  const textOf = (purpose: 'name' | 'email'): string => {
    const field = survey.fields.find((f) => f.purpose === purpose)
    const value = field ? answers[field.id] : undefined
    return typeof value === 'string' ? value.trim() : ''
  }
  const name = textOf('name').slice(0, MAX_CONTACT_NAME)
  const email = textOf('email')
  return name || email ? { name, email } : null
}
