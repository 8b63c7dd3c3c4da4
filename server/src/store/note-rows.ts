import type { Note } from '@parley/sdk/contract'

// A conversation_notes row as both stores' tables hold it, and its note: pure.

/** A conversation_notes row (`transfer`: SQLite's 0/1, PostgreSQL's boolean). */
export interface NoteRow {
  conv_id: string; note_id: string; client_note_id: string; author_id: string; author_name: string | null
  text: string; transfer: number | boolean; at: number
}

/** The note of a conversation_notes row. */
export function toNote(r: NoteRow): Note {
  const author: Note['author'] = r.author_name === null ? { kind: 'agent', id: r.author_id } : { kind: 'agent', id: r.author_id, name: r.author_name }
  const note: Note = { noteId: r.note_id, convId: r.conv_id, clientNoteId: r.client_note_id, author, text: r.text, at: r.at }
  if (r.transfer) note.transfer = true
  return note
}
