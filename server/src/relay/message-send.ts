import { isBlankText, type MessageAck, type MessageSend } from '@parley/sdk/contract'
import type { AppendResult } from '../store/store.js'
import { runPipeline } from './pipeline.js'
import { messageFrame } from './message-frame.js'
import type { SendPort } from './session-port.js'
import { releaseOpening, takeOpening, type Opening } from './opening-limit.js'

// message.send: check, transform (the pipeline stage), commit, THEN ack, THEN fan out. Everything up
// to the committer runs synchronously so a connection's messages reach the store in the order sent.

/** Queues a message for commit; the ack or error follows when its batch commits. */
export function handleSend(s: SendPort, frame: MessageSend): boolean {
  const { limits, deps, pipeline, committer } = s.ctx
  const { who } = s
  if (frame.text.length > limits.maxTextLength) {
    s.reject('PARLEY_ERR_MESSAGE_TOO_LONG', [frame.text.length, limits.maxTextLength], frame.clientMsgId)
    return false
  }
  const text = runPipeline(pipeline, { brandId: s.brandId, convId: frame.convId, from: who, text: frame.text })
  if (isBlankText(text)) {
    s.reject('PARLEY_ERR_MESSAGE_EMPTY', [], frame.clientMsgId)
    return false
  }
  // A visitor's message to a conversation not known to exist on this connection may open one.
  let opening: Opening | null = null
  if (who.kind === 'visitor' && !s.hasStoredIn(frame.convId) && !s.isOpeningIn(frame.convId)) {
    const taken = takeOpening(s.ctx, s.brandId, who.id, s.ip, deps.clock.now())
    if (!taken.ok) {
      s.reject('PARLEY_ERR_LIMIT_CONVERSATIONS', taken.args, frame.clientMsgId, taken.retryAfterMs)
      return false
    }
    opening = taken.opening
    s.openingIn(frame.convId, true)
  }
  s.appendStarted()
  committer.append(
    {
      brandId: s.brandId, convId: frame.convId, clientMsgId: frame.clientMsgId, from: who, text,
      // The context is recorded only by the message that opens a conversation: don't ship it with every message.
      at: deps.clock.now(), context: who.kind === 'visitor' && !s.hasStoredIn(frame.convId) ? s.visitorContext : null,
    },
    (result) => {
      s.appendSettled()
      if (opening) {
        s.openingIn(frame.convId, false)
        if (result instanceof Error || !result.ok || !result.opened) releaseOpening(s.ctx, opening)
      }
      appended(s, frame, result)
    },
  )
  return true
}

function appended(s: SendPort, frame: MessageSend, result: AppendResult | Error): void {
  if (result instanceof Error) {
    const ref = s.ctx.deps.ids.next('e_')
    s.ctx.log.error({ err: result, ref, brandId: s.brandId, convId: frame.convId }, 'append failed; nothing acked')
    s.reject('PARLEY_ERR_SERVER_STORE', [], frame.clientMsgId)
    return
  }
  if (!result.ok) {
    const arg = result.code === 'PARLEY_ERR_MESSAGE_ID_REUSED' ? frame.clientMsgId : frame.convId
    s.reject(result.code, [arg], frame.clientMsgId)
    return
  }
  const m = result.message
  if (s.who.kind === 'visitor') s.storedIn(m.convId)
  const ack: MessageAck = { type: 'message.ack', convId: m.convId, clientMsgId: m.clientMsgId, seq: m.seq, at: m.at }
  if (m.text !== frame.text) ack.text = m.text
  s.send(ack)
  if (result.duplicate) return
  const audience = { kind: 'conversation' as const, convId: m.convId, visitorId: result.visitorId }
  s.ctx.deps.bus.publish({ brandId: s.brandId, audience, frame: messageFrame(m), exceptConnId: s.connId })
  if (result.opened) {
    const c = result.opened
    s.ctx.deps.bus.publish({
      brandId: s.brandId,
      audience: { kind: 'agents' },
      frame: {
        type: 'conversation.opened', convId: c.convId, visitorId: c.visitorId, at: c.createdAt, preview: m.text.slice(0, 140),
        ...(c.context ? { context: c.context } : {}),
      },
    })
  }
  s.ctx.log.debug({ brandId: s.brandId, convId: m.convId, seq: m.seq, length: m.text.length }, 'message stored')
}
