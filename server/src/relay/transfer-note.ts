import type { Note } from '@parley/sdk/contract'
import { noteAuthor } from './note-text.js'
import type { SessionPort } from './session-port.js'

// The note an agent leaves when handing a conversation on (conversation.transfer). Its text is
// masked first (note-text.ts: masking fails closed), before anything changes, so a refused note
// refuses the transfer; it is stored, as an internal note with `transfer: true`, only once the hand-over is done.

/** Stores the masked note of a transfer; null when the store refused it (the conversation is gone). */
export async function storeTransferNote(s: SessionPort, convId: string, text: string): Promise<Note | null> {
  const { store, ids, clock } = s.ctx.deps
  const author = noteAuthor(s.who)
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
