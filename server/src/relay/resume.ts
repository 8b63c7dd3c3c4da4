import type { ResumePoint } from '@parley/sdk/contract'
import { errorFrame } from '../errors.js'
import { messageFrame } from './message-frame.js'
import type { ReplayPort } from './session-port.js'
import { findVisibleConversation } from './visible-conversation.js'
import { withRef } from './with-ref.js'

// Replay: for each conversation the client names, send every stored message after its `afterSeq`,
// in order, then whatever arrived live meanwhile, merged by seq so nothing is missed or repeated.

/**
 * Replays the listed conversations; a conversation the caller may not see gets CONV_NOT_FOUND with
 * `ref` set to its convId, so a client resuming many can tell which one.
 */
export async function handleResume(s: ReplayPort, points: readonly ResumePoint[], ref: string | undefined): Promise<boolean> {
  const { maxResumeConversations } = s.ctx.limits
  if (points.length > maxResumeConversations) {
    s.reject('PARLEY_ERR_LIMIT_REPLAY', [points.length, maxResumeConversations], ref)
    return false
  }
  // Buffer live frames of every listed conversation from here on (keeping what hello already
  // buffered): a conversation later in the list must not get live messages before its replay.
  for (const { convId } of points) s.delivery.startResume(convId)
  let allOk = true
  try {
    for (const { convId, afterSeq } of points) {
      if (s.isClosed) break
      if (!(await replayOne(s, convId, afterSeq, ref))) allOk = false
    }
  } finally {
    // If the replay stopped early (a store failure), no conversation stays buffering without bound:
    // the ones not replayed wait, dropping live frames, until the client resumes them again (the
    // error it got is retryable), so they never show a gap.
    for (const { convId } of points) if (s.delivery.isResuming(convId)) s.delivery.fallBehind(convId)
  }
  return allOk
}

async function replayOne(s: ReplayPort, convId: string, afterSeq: number, ref: string | undefined): Promise<boolean> {
  const { store } = s.ctx.deps
  const { replayBatch } = s.ctx.limits
  const { delivery } = s
  const buffered = delivery.held(convId)
  const redacted = delivery.heldRedactions(convId)
  const conv = await findVisibleConversation(s, convId)
  if (!conv) {
    delivery.stopResume(convId)
    s.send(errorFrame('PARLEY_ERR_CONV_NOT_FOUND', [convId], convId))
    return false
  }
  if (s.who.kind === 'agent') s.ctx.fanout.follow(s, convId)
  const rows = await store.readMessages(s.brandId, convId, afterSeq, replayBatch + 1)
  const more = rows.length > replayBatch
  // An explicit resume restarts the conversation's high-water mark at what the client holds (a
  // client claiming more than the relay has holds only what the relay has).
  delivery.restartAt(convId, Math.min(afterSeq, conv.lastSeq))
  for (const m of more ? rows.slice(0, replayBatch) : rows) {
    if (s.isBackedUp) await s.whenWritable()
    if (s.isClosed) return false
    if (delivery.markSent(convId, m.seq)) s.send(messageFrame(m))
  }
  if (more) {
    delivery.fallBehind(convId)
  } else {
    delivery.stopResume(convId)
    buffered.sort((a, b) => a.seq - b.seq)
    for (const f of buffered) if (delivery.markSent(convId, f.seq)) s.send(f)
  }
  const lastSeq = delivery.lastSent(convId) ?? afterSeq
  // After the messages they change: the client has those now (a later one comes with the new text).
  for (const f of redacted) if (f.seq <= lastSeq) s.send(f)
  s.send({
    type: 'conversation.resumed', convId, lastSeq, more, status: conv.status, ...withRef(ref),
  })
  return true
}
