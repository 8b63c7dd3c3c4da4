import type { NoteAdd, NoteAdded } from '@parley/sdk/contract'
import { noteRefusal } from '../policy/conversation-policy.js'
import { maskNoteText, noteAuthor } from './note-text.js'
import { requireAgent } from './require-agent.js'
import { hasCleanIds } from './hidden-id.js'
import type { SessionPort } from './session-port.js'
import { withRef } from './with-ref.js'

// note.add: an agent's internal note. Its text is accepted as every note's is (note-text.ts: the
// message pipeline, masking fails closed) before it is stored, logged or fanned out, then goes to
// the conversation's agents only: the `conversation-agents` audience reaches no visitor connection.
// A retry of a clientNoteId answers the note stored the first time.

/** Stores an agent's note and answers note.added; the other agents of the conversation get it too. */
export async function handleNoteAdd(s: SessionPort, frame: NoteAdd): Promise<boolean> {
  // Refusals carry the request's ref, or the client note id when the frame has none.
  const ref = frame.ref ?? frame.clientNoteId
  if (!requireAgent(s, frame.type, ref)) return false
  const { store, clock, ids, bus } = s.ctx.deps
  const conv = await store.getConversation(s.brandId, frame.convId)
  const joined = conv !== null && await store.isParticipant(s.brandId, frame.convId, s.who)
  const refusal = noteRefusal(conv, joined)
  if (refusal || !conv) {
    s.reject(refusal ?? 'PARLEY_ERR_CONV_NOT_FOUND', [frame.convId], ref)
    return false
  }
  const masker = await s.ctx.maskers.get(s.brandId)
  if (!hasCleanIds(s, masker, frame.convId, frame.clientNoteId)) return false
  const text = await maskNoteText(s, conv.convId, frame.text, ref)
  if (text === null) return false
  const author = noteAuthor(s.who)
  const r = await store.addNote({ brandId: s.brandId, convId: conv.convId, noteId: ids.next('n_'), clientNoteId: frame.clientNoteId, author, text, at: clock.now() })
  if (!r.ok) {
    s.reject(r.code, [frame.convId], ref)
    return false
  }
  if (r.note.convId !== conv.convId) {
    s.reject('PARLEY_ERR_MESSAGE_ID_REUSED', [frame.clientNoteId], ref)
    return false
  }
  const added: NoteAdded = { type: 'note.added', note: r.note }
  s.send({ ...added, ...withRef(frame.ref) })
  if (r.duplicate) return true
  bus.publish({ brandId: s.brandId, audience: { kind: 'conversation-agents', convId: conv.convId }, frame: added, exceptConnId: s.connId })
  s.ctx.log.debug({ brandId: s.brandId, convId: conv.convId, noteId: r.note.noteId, length: text.length }, 'note stored')
  return true
}
