import type { Survey, SurveySubmission } from '@parley/sdk/contract'
import type { Store } from '../../server/src/store/store.js'

// A brand's surveys for relay tests: a pre-chat form whose topic routes the chat, and a post-chat
// CSAT survey with a comment. Saved straight into the store (version 1), as the surveys REST route
// would save them.

/** The pre-chat form: a name, a required topic (billing is urgent, sales low), and a note. */
export const PRE_SURVEY: Survey = {
  id: 'intake', kind: 'pre', version: 1,
  fields: [
    { id: 'name', type: 'text', label: 'Your name', purpose: 'name' },
    { id: 'topic', type: 'choice', label: 'Topic', required: true, options: [
      { value: 'billing', label: 'Billing', route: { topic: 'billing', skill: 'accounts', priority: 'urgent' } },
      { value: 'sales', label: 'Sales', route: { topic: 'sales', priority: 'low' } },
      { value: 'other', label: 'Other' },
    ] },
    { id: 'note', type: 'longtext', label: 'Anything else?' },
  ],
}

/** The post-chat survey: a required CSAT score and a comment. */
export const POST_SURVEY: Survey = {
  id: 'after', kind: 'post', version: 1,
  fields: [
    { id: 'score', type: 'csat', label: 'How did we do?', required: true },
    { id: 'comment', type: 'longtext', label: 'Tell us more' },
  ],
}

/** Saves both surveys for `brandId`, `intake` as the pre-chat survey and `after` as the post-chat one. */
export async function saveTestSurveys(store: Store, brandId: string): Promise<void> {
  await store.setSurveysConfig(brandId, { surveys: [PRE_SURVEY, POST_SURVEY], pre: 'intake', post: 'after' }, [PRE_SURVEY, POST_SURVEY], 1)
}

/** A submission to the pre-chat form. */
export function preAnswers(answers: SurveySubmission['answers']): SurveySubmission {
  return { surveyId: 'intake', version: 1, answers }
}

/** A submission to the post-chat survey. */
export function postAnswers(answers: SurveySubmission['answers']): SurveySubmission {
  return { surveyId: 'after', version: 1, answers }
}
