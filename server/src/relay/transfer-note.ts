import { isBlankText, MAX_NOTE_TEXT, type Note } from '@parley/sdk/contract'
import { runPipeline } from './pipeline.js'
import type { SessionPort } from './session-port.js'

// The note an agent leaves when handing a conversation on (conversation.transfer). It passes the
// message pipeline (masking fails closed) before anything changes, so a refused note refuses the
// transfer; it is stored, as an internal note with `transfer: true`, only once the hand-over is done.

/** The note's text as it will be stored, or a refusal already sent to the caller (null). */
export async function maskTransferNote(s: SessionPort, convId: string, text: string, ref: string): Promise<string | null> {
  const masker = await s.ctx.maskers.get(s.brandId)
  const outcome = runPipeline(s.ctx.pipeline, { brandId: s.brandId, convId, from: s.who, text, masker, previousTail: '' })
  if (!outcome.ok) {
    s.reject(outcome.refusal.refused, outcome.refusal.args, ref)
    return null
  }
  // A replacement can be longer than what it hides: the limit holds for what is stored.
  if (outcome.text.length > MAX_NOTE_TEXT) {
    s.reject('PARLEY_ERR_MESSAGE_TOO_LONG', [outcome.text.length, MAX_NOTE_TEXT], ref)
    return null
  }
  if (isBlankText(outcome.text)) {
    s.reject('PARLEY_ERR_NOTE_EMPTY', [], ref)
    return null
  }
  return outcome.text
}

/** Stores the masked note of a transfer; null when the store refused it (the conversation is gone). */
export async function storeTransferNote(s: SessionPort, convId: string, text: string): Promise<Note | null> {
  const { store, ids, clock } = s.ctx.deps
  const author = s.who.name === undefined ? { kind: 'agent' as const, id: s.who.id } : { kind: 'agent' as const, id: s.who.id, name: s.who.name }
  const r = await store.addNote({
    brandId: s.brandId, convId, noteId: ids.next('n_'), clientNoteId: ids.next('cn_'), author, text, at: clock.now(), transfer: true,
  })
  return r.ok ? r.note : null
}

/** Tells the agents of the conversation (never its visitor) about the note, but `except` (who got it in conversation.assigned). */
export function publishTransferNote(s: SessionPort, note: Note, except: string | null): void {
  s.ctx.deps.bus.publish({
    brandId: s.brandId, audience: { kind: 'conversation-agents', convId: note.convId }, frame: { type: 'note.added', note },
    exceptConnId: s.connId, ...(except !== null ? { exceptIdentity: except } : {}),
  })
}
