import type { ConversationStarted, ErrorFrame, MessageAck, MessageNew, Participant, ServerFrame, SurveyAnswered, Welcome } from '../contract/frames.js'
import { errorFromFrame } from './connection-error.js'
import type { ClientStore } from './client-store.js'
import type { Cursors } from './cursors.js'
import type { Emitter } from './events.js'
import type { OutboxSender } from './outbox-sender.js'
import type { Requests } from './requests.js'
import type { Resumer } from './resume.js'
import type { OutboxEntry } from './types.js'

// Applying the relay's frames to the client: acks leave the outbox and become our own messages
// (openings and survey answers just leave it),
// messages move the cursors (a gap asks for a resume), errors settle requests or refuse entries,
// and every frame then reaches the `frame` handlers. Frames are applied one at a time, in order.

/** The parts of the client a frame changes. */
export interface FrameTarget {
  readonly store: ClientStore
  /** Keep our acked messages in the store until released (ConnectionOptions.holdAcked). */
  readonly holdAcked: boolean
  readonly cursors: Cursors
  readonly events: Emitter
  /** Null on a visitor's connection made without requests (createVisitorConnection). */
  readonly requests: Requests | null
  readonly sender: OutboxSender
  readonly resumer: Resumer
  /** Who we are on this socket, for our own acked messages. */
  me(): Participant
  /** The relay accepted our hello. */
  welcome(w: Welcome): Promise<void>
}

/** Applies one frame from the relay. */
export async function applyFrame(t: FrameTarget, frame: ServerFrame): Promise<void> {
  switch (frame.type) {
    case 'welcome': await t.welcome(frame); break
    case 'message.ack': await applyAck(t, frame); break
    case 'conversation.started': await applySettled(t, frame, (entry) => t.events.emit('opened', { entry, started: frame })); break
    case 'survey.answered': await applySettled(t, frame, (entry) => t.events.emit('answered', { entry, answered: frame })); break
    case 'survey.requested': t.events.emit('surveyRequested', frame); break
    case 'message.new': await applyMessage(t, frame); break
    // The relay masked a value split across two messages: a held copy must not keep the original.
    case 'message.redacted': if (t.holdAcked) await t.store.redactHeld(frame.convId, frame.seq, frame.text); break
    // The conversation's content was erased: no copy of it may stay behind here either.
    case 'conversation.erased': if (t.holdAcked) await t.store.dropHeld(frame.convId); break
    case 'conversation.resumed':
      t.resumer.done(frame.convId)
      if (frame.more) t.resumer.request([{ convId: frame.convId, afterSeq: frame.lastSeq }])
      else if (t.cursors.hasGap(frame.convId)) t.resumer.request([{ convId: frame.convId, afterSeq: t.cursors.get(frame.convId) }])
      break
    case 'error': await applyError(t, frame); return
    default: break
  }
  if ('ref' in frame && typeof frame.ref === 'string') t.requests?.answer(frame.ref, frame)
  t.events.emit('frame', frame)
}

/** The whole outbox to the `outbox` handlers. */
export async function emitOutbox(t: Pick<FrameTarget, 'store' | 'events'>): Promise<void> {
  t.events.emit('outbox', { entries: await t.store.outbox.list() })
}

async function saveCursor(t: FrameTarget, convId: string): Promise<void> {
  await t.store.saveCursor(convId, t.cursors.get(convId))
}

async function applyAck(t: FrameTarget, ack: MessageAck): Promise<void> {
  const entry = await t.store.outbox.get(ack.clientMsgId)
  t.sender.settle(ack.clientMsgId)
  const receipt = t.cursors.receive(ack.convId, ack.seq)
  if (receipt.advanced) await saveCursor(t, ack.convId)
  if (!entry) return
  const message: MessageNew = {
    type: 'message.new', convId: ack.convId, seq: ack.seq, clientMsgId: ack.clientMsgId, from: t.me(),
    text: ack.text ?? entry.text, at: ack.at,
    ...(ack.attachments?.length ? { attachments: ack.attachments } : {}),
  }
  // Held before the outbox lets go, so a reload in between finds it in one place or the other.
  if (t.holdAcked) await t.store.hold(message)
  await t.store.outbox.remove(ack.clientMsgId)
  t.events.emit('ack', { entry, ack })
  if (receipt.fresh) t.events.emit('message', { message, own: true })
  await emitOutbox(t)
  if (receipt.gap) t.resumer.request([{ convId: ack.convId, afterSeq: t.cursors.get(ack.convId) }])
}

/** An opening or a survey answer was stored: it leaves the outbox (a repeated ack finds nothing to settle). */
async function applySettled(t: FrameTarget, ack: ConversationStarted | SurveyAnswered, settled: (entry: OutboxEntry) => void): Promise<void> {
  const entry = await t.store.outbox.get(ack.clientMsgId)
  t.sender.settle(ack.clientMsgId)
  if (!entry) return
  await t.store.outbox.remove(ack.clientMsgId)
  settled(entry)
  await emitOutbox(t)
}

async function applyMessage(t: FrameTarget, m: MessageNew): Promise<void> {
  const receipt = t.cursors.receive(m.convId, m.seq)
  if (receipt.advanced) await saveCursor(t, m.convId)
  if (receipt.fresh) t.events.emit('message', { message: m, own: false })
  if (receipt.gap) t.resumer.request([{ convId: m.convId, afterSeq: t.cursors.get(m.convId) }])
}

async function applyError(t: FrameTarget, frame: ErrorFrame): Promise<void> {
  const info = errorFromFrame(frame)
  t.events.emit('frame', frame)
  if (frame.ref !== undefined && t.requests?.fail(frame.ref, info)) return
  const entry = frame.ref !== undefined ? await t.store.outbox.get(frame.ref) : undefined
  if (!entry) {
    t.events.emit('error', info)
    return
  }
  t.sender.settle(entry.clientMsgId, info.retryable ? 'retry' : 'refused')
  if (info.retryable) {
    // Rate limited or the store was busy: the same id goes again later, so it is stored once.
    t.sender.retryLater(entry, frame.retryAfterMs ?? 1000)
    return
  }
  await t.store.outbox.remove(entry.clientMsgId)
  t.events.emit('refused', { entry, error: info })
  // A refused opening takes the messages written behind it along: sent, they would open the
  // conversation without its answers (the sender held them back for this).
  if (entry.kind === 'open') {
    for (const e of await t.store.outbox.list()) {
      if (e.kind || e.convId !== entry.convId) continue
      await t.store.outbox.remove(e.clientMsgId)
      t.events.emit('refused', { entry: e, error: info })
    }
  }
  await emitOutbox(t)
}
