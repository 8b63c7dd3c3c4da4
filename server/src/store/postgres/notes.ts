import type { Store } from '../store.js'
import { type NoteRow, toNote } from '../note-rows.js'
import { noteRefusal } from '../../policy/conversation-policy.js'
import type { PgDb } from './db.js'
import { hasJoined, readConversation } from './conversation-lookup.js'
import { factsOf } from '../conversation-columns.js'

// Internal notes on PostgreSQL: idempotent by (brand, author, clientNoteId), a unique key, so a
// retry on any node answers the note stored the first time, whatever the retry carries. The text
// arrives masked. Who may write one is the policy's noteRefusal, asked here with the conversation's
// row locked (FOR UPDATE), so an agent who hands the chat on in between (requeue and assign lock that
// row too) has either left before the check or leaves after the note is in. The relay asks the same
// rule first, before it masks the text, to spare that work on a refused note.

type NoteMethods = Pick<Store, 'addNote' | 'listNotes'>

const BY_CLIENT_ID = 'SELECT * FROM conversation_notes WHERE brand_id = $1 AND author_id = $2 AND client_note_id = $3'

/** The note methods of the PostgreSQL store. */
export function createNotes(db: PgDb): NoteMethods {
  return {
    // Two nodes adding the same note at once: the second insert waits on the unique key, then does
    // nothing, and the read after it sees the first's committed row (a new statement, a new snapshot).
    async addNote(n) {
      return db.tx(n.brandId, async (tx) => {
        const stored = await tx.one<NoteRow>(BY_CLIENT_ID, [n.brandId, n.author.id, n.clientNoteId])
        if (stored) return { ok: true as const, note: toNote(stored), duplicate: true }
        const conv = await readConversation(tx, n.brandId, n.convId, true)
        const joined = conv !== null && await hasJoined(tx, n.brandId, n.convId, n.author.id)
        const refusal = noteRefusal(conv ? factsOf(conv) : null, joined, n.transfer === true)
        if (refusal) return { ok: false as const, code: refusal }
        const added = await tx.one<NoteRow>(`INSERT INTO conversation_notes (brand_id, conv_id, note_id, client_note_id, author_id, author_name, text, transfer, at)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (brand_id, author_id, client_note_id) DO NOTHING RETURNING *`,
        [n.brandId, n.convId, n.noteId, n.clientNoteId, n.author.id, n.author.name ?? null, n.text, n.transfer === true, n.at])
        if (added) return { ok: true as const, note: toNote(added), duplicate: false }
        const first = await tx.one<NoteRow>(BY_CLIENT_ID, [n.brandId, n.author.id, n.clientNoteId])
        return { ok: true as const, note: toNote(first!), duplicate: true }
      })
    },
    async listNotes(brandId, convId) {
      const rows = await db.tx(brandId, (tx) => tx.rows<NoteRow>(`SELECT * FROM conversation_notes WHERE brand_id = $1 AND conv_id = $2
        ORDER BY at, note_id COLLATE "C"`, [brandId, convId]))
      return rows.map(toNote)
    },
  }
}
