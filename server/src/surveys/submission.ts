import type { Routing, Survey, SurveyKind, SurveyResponse, SurveySubmission } from '@parley/sdk/contract'
import type { Masker } from '@parley/sdk/masking'
import type { Store } from '../store/store.js'

// A visitor's survey submission, from the wire to what is stored: the one path the relay's frames
// (conversation.open, survey.answer) and the offline form's REST route share.

/** A submission that may be stored: its survey (that version), the response to store, and the routing it gives. */
export interface AcceptedSubmission {
  ok: true
  survey: Survey
  response: SurveyResponse
  routing: Routing
}

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
 * address, as the offline form's contact does), and builds the response to store: version, kind,
 * language, the consent texts agreed to, the labels as asked, `at`; and the routing its options set.
 * Stores nothing.
 */
export async function acceptSubmission(
  store: Store, brandId: string, masker: Masker, submission: SurveySubmission, kind: SurveyKind, at: number,
): Promise<AcceptedSubmission | RefusedSubmission> {
  void store; void brandId; void masker; void submission; void kind; void at
  throw new Error('survey submissions are not accepted yet')
}
