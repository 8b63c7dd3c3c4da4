import { createHash } from 'node:crypto'
import type { Note } from '@parley/sdk/contract'
import { noteAuthor } from './note-text.js'
import type { SessionPort } from './session-port.js'

// The note an agent leaves when handing a conversation on (conversation.transfer). Its text is
// masked first (note-text.ts: masking fails closed), before anything changes, so a refused note
// refuses the transfer; it is stored, as an internal note with `transfer: true`, only once the hand-over is done.

/**
 * The transfer note's client id: from the frame's `ref` when given, so a client that retries a
 * transfer (same `ref`) stores no second note: the store answers the first. A retried transfer to a
 * skill passes the hand-on check again (the chat now waits), so this is what keeps it idempotent.
 * `heldSince` (when the chat was last assigned, kept by a requeue) tells a retry from the same
 * `ref` used again after the chat came back to a holder: a console numbers its refs per page load.
 */
export function transferNoteId(convId: string, ref: string | undefined, heldSince: number | null): string | null {
  if (ref === undefined) return null
  return `tr_${createHash('sha256').update(`${convId}\n${ref}\n${heldSince ?? ''}`).digest('base64url').slice(0, 40)}`
}

/** Stores the masked note of a transfer (once per `clientNoteId`, fresh when null); null when the store refused it (the conversation is gone). */
export async function storeTransferNote(s: SessionPort, convId: string, text: string, clientNoteId: string | null): Promise<Note | null> {
  const { store, ids, clock } = s.ctx.deps
  const author = noteAuthor(s.who)
  const r = await store.addNote({
    brandId: s.brandId, convId, noteId: ids.next('n_'), clientNoteId: clientNoteId ?? ids.next('cn_'), author, text, at: clock.now(), transfer: true,
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
