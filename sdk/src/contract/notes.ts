import { Type, type Static } from '@sinclair/typebox'
import { Id, Timestamp } from './ids.js'
import { MAX_NOTE_TEXT } from './routing-limits.js'

// Internal notes: what agents write in a conversation for each other. Never sent to the visitor, never
// in the visitor's own copy or export; in the brand's transcript export. Masked like messages.

const strict = { additionalProperties: false } as const

/** One stored note, masked as stored. */
export const Note = Type.Object({
  noteId: Id,
  convId: Id,
  /** Made by the agent's console once and reused on retry: a second note.add with it changes nothing. */
  clientNoteId: Id,
  author: Type.Object({ kind: Type.Literal('agent'), id: Id, name: Type.Optional(Type.String({ maxLength: 128 })) }, strict),
  text: Type.String({ minLength: 1, maxLength: MAX_NOTE_TEXT }),
  at: Timestamp,
  /** Written when the conversation was handed on (a transfer's note). */
  transfer: Type.Optional(Type.Boolean()),
}, strict)
export type Note = Static<typeof Note>

/** GET /v1/conversations/:convId/notes (an agent of the brand, or its API key): every note, oldest first. */
export const NoteList = Type.Object({ notes: Type.Array(Note) }, strict)
export type NoteList = Static<typeof NoteList>
