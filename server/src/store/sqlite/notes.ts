import type Database from 'better-sqlite3'
import type { NewNote, Store } from '../store.js'
import { type NoteRow, toNote } from '../note-rows.js'
import { noteRefusal } from '../../policy/conversation-policy.js'
import type { ConversationRow } from './rows.js'
import { factsOf } from '../conversation-columns.js'

// Internal notes in SQLite (migration 11): agents only, idempotent by author and client note id.
// The text arrives masked; the store keeps it as given. A retry of a clientNoteId answers the note
// stored the first time, whatever the retry carries. Who may write one is the policy's noteRefusal,
// asked inside the IMMEDIATE transaction, so no hand-over slips in between the check and the insert.

type NoteMethods = Pick<Store, 'addNote' | 'listNotes'>

/** The note methods of the SQLite store. */
export function createNotes(db: Database.Database): NoteMethods {
  const q = {
    conv: db.prepare<[string, string], ConversationRow>('SELECT * FROM conversations WHERE brand_id = ? AND conv_id = ?'),
    joined: db.prepare<[number, string, string], { ok: number }>(`SELECT 1 AS ok FROM participants p JOIN senders s ON s.id = p.sender
      WHERE p.conv = ? AND s.brand_id = ? AND s.kind = 'agent' AND s.ext_id = ?`),
    insert: db.prepare(`INSERT INTO conversation_notes (brand_id, conv_id, note_id, client_note_id, author_id, author_name, text, transfer, at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`),
    byClientId: db.prepare<[string, string, string], NoteRow>(
      'SELECT * FROM conversation_notes WHERE brand_id = ? AND author_id = ? AND client_note_id = ?'),
    list: db.prepare<[string, string], NoteRow>('SELECT * FROM conversation_notes WHERE brand_id = ? AND conv_id = ? ORDER BY at, note_id'),
  }

  const addTx = db.transaction((n: NewNote) => {
    const stored = q.byClientId.get(n.brandId, n.author.id, n.clientNoteId)
    if (stored) return { ok: true as const, note: toNote(stored), duplicate: true }
    const conv = q.conv.get(n.brandId, n.convId)
    const joined = conv !== undefined && q.joined.get(conv.id, n.brandId, n.author.id) !== undefined
    const refusal = noteRefusal(conv ? factsOf(conv) : null, joined, n.transfer === true)
    if (refusal) return { ok: false as const, code: refusal }
    q.insert.run(n.brandId, n.convId, n.noteId, n.clientNoteId, n.author.id, n.author.name ?? null, n.text, n.transfer ? 1 : 0, n.at)
    return { ok: true as const, note: toNote(q.byClientId.get(n.brandId, n.author.id, n.clientNoteId)!), duplicate: false }
  })

  return {
    addNote: async (note) => addTx.immediate(note),
    listNotes: async (brandId, convId) => q.list.all(brandId, convId).map(toNote),
  }
}
