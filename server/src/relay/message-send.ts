import { isBlankText, type MessageSend, type Routing } from '@parley/sdk/contract'
import { TAIL_CHARS, type RelayMasker } from '@parley/sdk/masking'
import type { AppendRequest, AppendResult } from '../store/store.js'
import { runPipeline } from './pipeline.js'
import { messageFrame } from './message-frame.js'
import { ackJson } from './ack-frame.js'
import { openedFrame, previewedFrame } from './opened-frame.js'
import type { SendPort } from './session-port.js'
import { releaseOpening, takeOpening, type Opening } from './opening-limit.js'
import { afterTake } from './shared-buckets.js'
import type { SenderTail } from './sender-tails.js'
import { redactPrevious, type PendingRedaction } from './split-values.js'
import { hasCleanIds, rememberCleanConversation } from './hidden-id.js'
import { withRuleSkill } from './rule-skill.js'

// message.send: check, transform (the pipeline stage), commit, THEN ack, THEN fan out. Everything up
// to the committer runs synchronously so a connection's messages reach the store in the order sent;
// when the brand's masker or the sender's last message in the conversation is not in memory, the
// frame waits for them (the frames after it wait their turn, frame-order.ts).

/** Queues a message for commit; the ack or error follows when its batch commits. */
export function handleSend(s: SendPort, frame: MessageSend): boolean | Promise<boolean> {
  const { limits, maskers, senderTails, deps } = s.ctx
  if (frame.text.length > limits.maxTextLength) {
    s.reject('PARLEY_ERR_MESSAGE_TOO_LONG', [frame.text.length, limits.maxTextLength], frame.clientMsgId)
    return false
  }
  const masker = maskers.peek(s.brandId)
  // A visitor writing to a conversation this connection has not seen stored (welcome lists their
  // newest ones) is almost always opening it: it has no earlier message to read, and reading the
  // store for one would hold the connection's next frames until it answered.
  const tail = senderTails.peek(s.brandId, frame.convId, s.identity) ?? (s.who.kind === 'visitor' && !s.hasStoredIn(frame.convId) ? NO_TAIL : undefined)
  // A message that opens a conversation from a rule's invitation or button needs the rule's skill.
  const fromRule = s.who.kind === 'visitor' && !s.hasStoredIn(frame.convId) && !s.isOpeningIn(frame.convId) && s.visitorContext?.ruleId !== undefined
  // A brand that masks nothing reads no tail from the store.
  if (masker && (tail || !masker.active) && !fromRule) return sendMasked(s, frame, masker, tail ?? NO_TAIL, {})
  return (async () => {
    const m = masker ?? await maskers.get(s.brandId)
    const t = tail ?? (m.active ? await senderTails.load(deps.store, s.brandId, frame.convId, s.who, s.identity) : NO_TAIL)
    const routing = fromRule ? await withRuleSkill(deps.store, s.brandId, s.visitorContext, {}) : {}
    // Stored even if the socket closed meanwhile, as a message queued before the close is.
    return sendMasked(s, frame, m, t, routing)
  })()
}

const NO_TAIL: SenderTail = { brandId: '', tail: '', seq: null }

/** `routing`: what a conversation this message opens gets (the inviting rule's skill), `{}` for none. */
function sendMasked(s: SendPort, frame: MessageSend, masker: RelayMasker, previous: SenderTail, routing: Routing): boolean | Promise<boolean> {
  const { deps, pipeline } = s.ctx
  const { who } = s
  if (!hasCleanIds(s, masker, frame.convId, frame.clientMsgId)) return false
  const outcome = runPipeline(pipeline, { brandId: s.brandId, convId: frame.convId, from: who, text: frame.text, masker, previousTail: previous.tail })
  if (!outcome.ok) {
    s.reject(outcome.refusal.refused, outcome.refusal.args, frame.clientMsgId)
    return false
  }
  const { text } = outcome
  // A replacement can be longer than what it hides ([card number removed] for 16 digits): the
  // limit holds for what is stored and fanned out, not only for what was sent.
  if (text.length > s.ctx.limits.maxTextLength) {
    s.reject('PARLEY_ERR_MESSAGE_TOO_LONG', [text.length, s.ctx.limits.maxTextLength], frame.clientMsgId)
    return false
  }
  // Files may go without words.
  if (isBlankText(text) && !frame.attachments) {
    s.reject('PARLEY_ERR_MESSAGE_EMPTY', [], frame.clientMsgId)
    return false
  }
  const ready: ReadyMessage = { frame, text, masker, previous, routing, previousTail: outcome.previousTail }
  // A visitor's message to a conversation not known to exist on this connection may open one. With
  // buckets shared between nodes the opening is a promise, and the frames after this one wait for it.
  if (who.kind === 'visitor' && !s.hasStoredIn(frame.convId) && !s.isOpeningIn(frame.convId)) {
    return afterTake(takeOpening(s.ctx, s.brandId, who.id, s.ip, deps.clock.now()), (taken) => {
      if (!taken.ok) {
        s.reject('PARLEY_ERR_LIMIT_CONVERSATIONS', taken.args, frame.clientMsgId, taken.retryAfterMs)
        return false
      }
      s.openingIn(frame.convId, true)
      return queueAppend(s, ready, taken.opening)
    })
  }
  return queueAppend(s, ready, null)
}

/** A message that passed every check, ready to be queued for commit. */
interface ReadyMessage {
  frame: MessageSend
  /** The text as stored (through the pipeline). */
  text: string
  masker: RelayMasker
  previous: SenderTail
  routing: Routing
  /** The sender's previous message's new tail, when the pipeline masked a value split across the two. */
  previousTail: string | null
}

/** Queues a checked message for commit; its ack and fan-out follow when it is stored. */
function queueAppend(s: SendPort, ready: ReadyMessage, opening: Opening | null): boolean {
  const { deps, committer, senderTails } = s.ctx
  const { who } = s
  const { frame, text, masker, previous, routing, previousTail } = ready
  // This message is the sender's last from now on: the next one is checked with its tail, even
  // before it commits. The earlier one's new tail is written once this one is stored. A brand that
  // masks nothing keeps a tail only where one is kept already, so none goes stale if it turns masking on.
  const mine: SenderTail | null = masker.active || previous !== NO_TAIL ? { brandId: s.brandId, tail: text.slice(-TAIL_CHARS), seq: null } : null
  if (mine) senderTails.set(frame.convId, s.identity, mine)
  const redaction: PendingRedaction | null = previousTail === null ? null : { previous, oldTail: previous.tail, newTail: previousTail }
  const request: AppendRequest = {
    brandId: s.brandId, convId: frame.convId, clientMsgId: frame.clientMsgId, from: who, text,
    // The context is recorded only by the message that opens a conversation: don't ship it with every message.
    at: deps.clock.now(), context: who.kind === 'visitor' && !s.hasStoredIn(frame.convId) ? s.visitorContext : null,
  }
  // Set only when there is one (not spread from a literal: this runs for every message).
  if (routing.skill !== undefined) request.routing = routing
  if (frame.attachments) request.attachmentIds = frame.attachments
  s.appendStarted()
  committer.append(
    request,
    (result) => {
      s.appendSettled()
      if (opening) {
        s.openingIn(frame.convId, false)
        if (result instanceof Error || !result.ok || !result.opened) releaseOpening(s.ctx, opening)
      }
      if (mine) settleTail(s, frame.convId, previous, mine, result)
      // Stored: the conversation is real and the sender's, so its id is worth remembering.
      if (!(result instanceof Error) && result.ok) rememberCleanConversation(masker, frame.convId)
      appended(s, frame, result)
      if (redaction && !(result instanceof Error) && result.ok && !result.duplicate) redactPrevious(s, frame.convId, redaction)
    },
  )
  return true
}

/** Records where the sender's last message was stored; a message not stored gives the place back to the one before it. */
function settleTail(s: SendPort, convId: string, previous: SenderTail, mine: SenderTail, result: AppendResult | Error): void {
  if (!(result instanceof Error) && result.ok) {
    mine.seq = result.message.seq
    // A resend's stored text may differ from this send's.
    if (result.duplicate) mine.tail = result.message.text.slice(-TAIL_CHARS)
  } else if (s.ctx.senderTails.peek(s.brandId, convId, s.identity) === mine && previous !== NO_TAIL) {
    s.ctx.senderTails.set(convId, s.identity, previous)
  }
}

function appended(s: SendPort, frame: MessageSend, result: AppendResult | Error): void {
  if (result instanceof Error) {
    const ref = s.ctx.deps.ids.next('e_')
    s.ctx.log.error({ err: result, ref, brandId: s.brandId, convId: frame.convId }, 'append failed; nothing acked')
    s.reject('PARLEY_ERR_SERVER_STORE', [], frame.clientMsgId)
    return
  }
  if (!result.ok) {
    const arg = result.code === 'PARLEY_ERR_MESSAGE_ID_REUSED' ? frame.clientMsgId
      : result.code === 'PARLEY_ERR_ATTACHMENT_NOT_FOUND' || result.code === 'PARLEY_ERR_ATTACHMENT_IN_USE' ? (frame.attachments ?? []).join(', ') : frame.convId
    s.reject(result.code, [arg], frame.clientMsgId)
    return
  }
  const m = result.message
  if (s.who.kind === 'visitor') s.storedIn(m.convId)
  // The stored text (masked, cleaned) when it is not what was sent: the sender shows and keeps it.
  s.sendJson(ackJson(m, m.text !== frame.text ? m.text : undefined))
  if (result.duplicate) return
  const audience = { kind: 'conversation' as const, convId: m.convId, visitorId: result.visitorId }
  s.ctx.deps.bus.publish({ brandId: s.brandId, audience, frame: messageFrame(m), exceptConnId: s.connId })
  if (result.opened) s.ctx.deps.bus.publish({ brandId: s.brandId, audience: { kind: 'agents' }, frame: openedFrame(result.opened, m) })
  // The visitor's seq 1 in a conversation that was already there: conversation.open opened it
  // with no text, and the agents' queues show none until told.
  else if (m.seq === 1 && m.from.kind === 'visitor') s.ctx.deps.bus.publish({ brandId: s.brandId, audience: { kind: 'agents' }, frame: previewedFrame(m) })
  s.ctx.log.debug({ brandId: s.brandId, convId: m.convId, seq: m.seq, length: m.text.length }, 'message stored')
}
