import { isBlankText, MAX_NOTE_TEXT, type Note, type Participant } from '@parley/sdk/contract'
import { runPipeline } from './pipeline.js'
import type { SessionPort } from './session-port.js'

// The one way an internal note's text is accepted, for note.add and for the note a transfer
// carries: it passes the message pipeline (control characters, lone surrogates, the brand's
// masking, which fails closed) before it is stored, logged or fanned out, and what is stored must
// still fit and still show something.

/** The note's text as it will be stored, or a refusal already sent to the caller with `ref` (null). */
export async function maskNoteText(s: SessionPort, convId: string, text: string, ref: string): Promise<string | null> {
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

/** A note's author as stored: the agent, with their display name when they have one. */
export function noteAuthor(who: Participant): Note['author'] {
  return who.name === undefined ? { kind: 'agent', id: who.id } : { kind: 'agent', id: who.id, name: who.name }
}
