import type Database from 'better-sqlite3'
import type { Store } from '../store.js'

// Internal notes in SQLite (migration 11): agents only, idempotent by author and client note id.

type NoteMethods = Pick<Store, 'addNote' | 'listNotes'>

/** The note methods of the SQLite store. */
export function createNotes(_db: Database.Database): NoteMethods {
  const todo = (): never => { throw new Error('not implemented yet') }
  return { addNote: todo, listNotes: todo }
}
