import type { ConversationOpen, ConversationStarted } from '@parley/sdk/contract'
import type { OpenConversationResult } from '../store/store.js'
import { acceptSubmission } from '../surveys/submission.js'
import { hasCleanIds } from './hidden-id.js'
import { releaseOpening, takeOpening, type Opening } from './opening-limit.js'
import { openedFrame } from './opened-frame.js'
import type { OpenPort } from './session-port.js'
import { requireVisitor } from './require-visitor.js'
import { refuseSubmission } from './survey-refusal.js'
import { withRef } from './with-ref.js'
import { withRuleSkill } from './rule-skill.js'

// conversation.open: a visitor opens a conversation explicitly, with the pre-chat survey's answers
// or none. Check the answers, take an opening (opening-limit.ts), store the conversation and its
// answer in one step, THEN answer conversation.started, THEN tell the agents. The handler holds the
// connection's next frames until the store answered (frame-order.ts), so a message.send right
// behind it finds the conversation open and opens nothing more.

/** Opens a visitor's conversation; a retry (same convId) finds it and is answered as the first time. */
export async function handleOpen(s: OpenPort, frame: ConversationOpen): Promise<boolean> {
  const { deps, maskers, log } = s.ctx
  if (!requireVisitor(s, frame.type, frame.clientMsgId)) return false
  const masker = await maskers.get(s.brandId)
  if (!hasCleanIds(s, masker, frame.convId, frame.clientMsgId)) return false
  const now = deps.clock.now()
  const accepted = frame.survey ? await acceptSubmission(deps.store, s.brandId, masker, frame.survey, 'pre', now) : null
  if (accepted && !accepted.ok) {
    refuseSubmission(s, frame.type, accepted, frame.clientMsgId)
    return false
  }
  const response = accepted?.response ?? null
  // An open of a conversation this connection already stored in is a retry: it takes no opening.
  let opening: Opening | null = null
  if (!s.hasStoredIn(frame.convId)) {
    const taken = await takeOpening(s.ctx, s.brandId, s.who.id, s.ip, now)
    if (!taken.ok) {
      s.reject('PARLEY_ERR_LIMIT_CONVERSATIONS', taken.args, frame.clientMsgId, taken.retryAfterMs)
      return false
    }
    opening = taken.opening
  }
  let r: OpenConversationResult
  try {
    const routing = await withRuleSkill(deps.store, s.brandId, s.visitorContext, accepted?.routing ?? {})
    r = await deps.store.openConversation({
      brandId: s.brandId, convId: frame.convId, visitorId: s.who.id, clientMsgId: frame.clientMsgId, at: now,
      // Masked when it arrived (hello, context.update), as for a conversation a first message opens.
      context: s.visitorContext, routing, response,
      // The name agents see in the queue and beside the chat; the e-mail kept to write back.
      contact: accepted?.contact ?? null,
    })
  } catch (err) {
    if (opening) releaseOpening(s.ctx, opening)
    const ref = deps.ids.next('e_')
    log.error({ err, ref, brandId: s.brandId, convId: frame.convId }, 'conversation open failed; nothing stored')
    s.reject('PARLEY_ERR_SERVER_STORE', [], frame.clientMsgId)
    return false
  }
  // A retry, or a conversation the visitor's first message opened before: no opening was used.
  if (opening && (!r.ok || !r.created)) releaseOpening(s.ctx, opening)
  if (!r.ok) {
    s.reject(r.code, [frame.convId], frame.clientMsgId)
    return false
  }
  const c = r.conversation
  s.storedIn(c.convId)
  const started: ConversationStarted = { type: 'conversation.started', convId: c.convId, clientMsgId: frame.clientMsgId, at: c.createdAt }
  s.send({ ...started, ...withRef(frame.ref) })
  if (!r.created) return true
  // No preview: no message was written yet. The waiting count (availability) reads the store.
  deps.bus.publish({ brandId: s.brandId, audience: { kind: 'agents' }, frame: openedFrame(c) })
  log.debug({ brandId: s.brandId, convId: c.convId, surveyId: response?.surveyId, fields: response ? Object.keys(response.answers).length : 0 }, 'conversation opened')
  return true
}
