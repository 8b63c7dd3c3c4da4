import type { MessageNew, Participant, ResumePoint } from '@parley/sdk/contract'
import type { MessageRecord } from '../store/store.js'
import { errorFrame } from '../errors.js'
import type { LiveSession } from './session.js'
import { findVisibleConversation } from './conversation-ops.js'

// Replay: for each conversation the client names, send every stored message after its `afterSeq`,
// in order, then whatever arrived live meanwhile, merged by seq so nothing is missed or repeated.

/** The wire frame for a stored message. */
export function messageFrame(m: MessageRecord): MessageNew {
  return { type: 'message.new', convId: m.convId, seq: m.seq, clientMsgId: m.clientMsgId, from: m.from, text: m.text, at: m.at }
}

/**
 * Replays the listed conversations; a conversation the caller may not see gets CONV_NOT_FOUND with
 * `ref` set to its convId, so a client resuming many can tell which one.
 */
export async function handleResume(s: LiveSession, points: readonly ResumePoint[], ref: string | undefined): Promise<boolean> {
  const { maxResumeConversations } = s.ctx.limits
  if (points.length > maxResumeConversations) {
    s.reject('PARLEY_ERR_LIMIT_REPLAY', [points.length, maxResumeConversations], ref)
    return false
  }
  const who = s.who!
  // Buffer live frames of every listed conversation from here on (keeping what hello already
  // buffered): a conversation later in the list must not get live messages before its replay.
  for (const { convId } of points) {
    if (s.convState.get(convId)?.mode !== 'resuming') s.convState.set(convId, { mode: 'resuming', buffered: [] })
  }
  let allOk = true
  try {
    for (const { convId, afterSeq } of points) {
      if (s.isClosed) break
      if (!(await replayOne(s, who, convId, afterSeq, ref))) allOk = false
    }
  } finally {
    // If the replay stopped early (a store failure), no conversation stays buffering without bound:
    // the ones not replayed wait, dropping live frames, until the client resumes them again (the
    // error it got is retryable), so they never show a gap.
    for (const { convId } of points) if (s.convState.get(convId)?.mode === 'resuming') s.convState.set(convId, { mode: 'behind' })
  }
  return allOk
}

async function replayOne(s: LiveSession, who: Participant, convId: string, afterSeq: number, ref: string | undefined): Promise<boolean> {
  const { store } = s.ctx.deps
  const { replayBatch } = s.ctx.limits
  const state = s.convState.get(convId)
  const buffered = state?.mode === 'resuming' ? state.buffered : []
  const conv = await findVisibleConversation(s, convId)
  if (!conv) {
    s.convState.delete(convId)
    s.send(errorFrame('PARLEY_ERR_CONV_NOT_FOUND', [convId], convId))
    return false
  }
  if (who.kind === 'agent') s.ctx.fanout.follow(s, convId)
  const rows = await store.readMessages(s.brandId, convId, afterSeq, replayBatch + 1)
  const more = rows.length > replayBatch
  // An explicit resume restarts the conversation's high-water mark at what the client holds (a
  // client claiming more than the relay has holds only what the relay has).
  s.lastSent.set(convId, Math.min(afterSeq, conv.lastSeq))
  for (const m of more ? rows.slice(0, replayBatch) : rows) {
    if (s.ws.bufferedAmount > s.ctx.limits.sendQueueBytes / 2) await s.whenWritable()
    if (s.isClosed) return false
    if (s.markSent(convId, m.seq)) s.send(messageFrame(m))
  }
  if (more) {
    s.convState.set(convId, { mode: 'behind' })
  } else {
    s.convState.delete(convId)
    buffered.sort((a, b) => a.seq - b.seq)
    for (const f of buffered) if (s.markSent(convId, f.seq)) s.send(f)
  }
  const lastSeq = s.lastSent.get(convId) ?? afterSeq
  s.send({
    type: 'conversation.resumed', convId, lastSeq, more, status: conv.status,
    ...(ref !== undefined ? { ref } : {}),
  })
  return true
}
