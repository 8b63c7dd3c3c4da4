import type { SurveyAnswer, SurveyAnswered } from '@parley/sdk/contract'
import type { SurveyResponseResult } from '../store/store.js'
import { acceptSubmission } from '../surveys/submission.js'
import { publishToConversationAgents } from './conversation-agents.js'
import { hasCleanIds } from './hidden-id.js'
import type { SessionPort } from './session-port.js'
import { requireVisitor } from './require-visitor.js'
import { refuseSubmission } from './survey-refusal.js'
import { visibleConversation } from './visible-conversation.js'
import { withRef } from './with-ref.js'

// survey.answer: a visitor answers the post-chat survey (or one an agent sent) in one of their
// conversations, open or closed. Check, store, THEN answer survey.answered, THEN tell the agents who
// take part in the conversation, and nobody else. A retry under the same clientMsgId finds the
// stored answer and is answered the same; a second answer under a new id is SURVEY_ANSWERED.

/** Stores a visitor's post-chat answer in their own conversation. */
export async function handleSurveyAnswer(s: SessionPort, frame: SurveyAnswer): Promise<boolean> {
  const { deps, maskers, log } = s.ctx
  if (!requireVisitor(s, frame.type, frame.clientMsgId)) return false
  const masker = await maskers.get(s.brandId)
  if (!hasCleanIds(s, masker, frame.convId, frame.clientMsgId)) return false
  // Another visitor's conversation looks unknown, before the answers are even read.
  if (!await visibleConversation(s, frame.convId, frame.clientMsgId)) return false
  const accepted = await acceptSubmission(deps.store, s.brandId, masker, frame.survey, 'post', deps.clock.now())
  if (!accepted.ok) {
    refuseSubmission(s, frame.type, accepted, frame.clientMsgId)
    return false
  }
  let r: SurveyResponseResult
  try {
    r = await deps.store.addSurveyResponse({
      brandId: s.brandId, convId: frame.convId, visitorId: s.who.id, clientMsgId: frame.clientMsgId, response: accepted.response,
    })
  } catch (err) {
    const ref = deps.ids.next('e_')
    log.error({ err, ref, brandId: s.brandId, convId: frame.convId }, 'survey answer store failed; nothing stored')
    s.reject('PARLEY_ERR_SERVER_STORE', [], frame.clientMsgId)
    return false
  }
  if (!r.ok) {
    s.reject(r.code, r.code === 'PARLEY_ERR_SURVEY_ANSWERED' ? [frame.survey.surveyId, frame.convId] : [frame.convId], frame.clientMsgId)
    return false
  }
  const answered: SurveyAnswered = { type: 'survey.answered', convId: frame.convId, clientMsgId: frame.clientMsgId, surveyId: r.response.surveyId, at: r.response.at }
  s.send({ ...answered, ...withRef(frame.ref) })
  if (r.duplicate) return true
  await publishToConversationAgents(s, frame.convId, { type: 'survey.response', convId: frame.convId, response: r.response })
  void s.ctx.webhooks?.emit(s.brandId, 'survey.answered', { convId: frame.convId, surveyId: r.response.surveyId, at: r.response.at })
  log.debug({ brandId: s.brandId, convId: frame.convId, surveyId: r.response.surveyId, version: r.response.version }, 'survey answer stored')
  return true
}
