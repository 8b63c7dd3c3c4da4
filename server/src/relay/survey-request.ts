import type { SurveyRequest, SurveyRequested } from '@parley/sdk/contract'
import { publishToConversationAgents } from './conversation-agents.js'
import { requireAgent } from './require-agent.js'
import type { SessionPort } from './session-port.js'
import { visibleConversation } from './visible-conversation.js'
import { withRef } from './with-ref.js'

// survey.request: an agent who joined a conversation sends its visitor a survey on demand (by
// default the brand's post-chat survey). Nothing is stored: the visitor's widget shows the survey
// and answers with survey.answer. Everyone in the conversation hears of it: the visitor, and the
// agents taking part (open or closed).

/** Sends the visitor of a conversation the agent takes part in a post-chat survey. */
export async function handleSurveyRequest(s: SessionPort, frame: SurveyRequest): Promise<boolean> {
  if (!requireAgent(s, frame.type, frame.ref)) return false
  const { store, clock, bus } = s.ctx.deps
  // An agent who has not joined sees the conversation as unknown (conversation-policy.ts).
  const conv = await visibleConversation(s, frame.convId, frame.ref)
  if (!conv) return false
  const config = await store.getSurveysConfig(s.brandId)
  const surveyId = frame.surveyId ?? config?.post
  // Only a post-chat survey of the brand's document can be sent: survey.answer takes no other kind.
  const survey = surveyId === undefined ? undefined : config?.surveys.find((x) => x.id === surveyId)
  if (!survey || survey.kind !== 'post') {
    s.reject('PARLEY_ERR_SURVEY_NOT_FOUND', [surveyId ?? 'post', 'current'], frame.ref ?? frame.convId)
    return false
  }
  // The relay keeps one answer per survey per conversation: a request for one already answered
  // would only end in the visitor's answer being refused.
  if ((await store.listSurveyResponses(s.brandId, conv.convId)).some((r) => r.surveyId === survey.id)) {
    s.reject('PARLEY_ERR_SURVEY_ANSWERED', [survey.id, conv.convId], frame.ref ?? frame.convId)
    return false
  }
  const requested: SurveyRequested = { type: 'survey.requested', convId: conv.convId, surveyId: survey.id, by: s.who, at: clock.now() }
  s.send({ ...requested, ...withRef(frame.ref) })
  bus.publish({
    brandId: s.brandId, audience: { kind: 'conversation', convId: conv.convId, visitorId: conv.visitorId },
    frame: requested, onlyIdentity: `visitor:${conv.visitorId}`,
  })
  await publishToConversationAgents(s, conv.convId, requested)
  return true
}
