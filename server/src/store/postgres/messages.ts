import type { Store } from '../store.js'
import type { PgDb } from './db.js'

// Messages: the group commit of appends (seq under the conversation row's lock, idempotent client ids, attachments bound in the same transaction), reads and redactions.

/** The Store methods this part implements. */
export type MessagesMethods = Pick<Store, 'appendMessages' | 'redactMessages' | 'readMessages'>

export function createMessages(db: PgDb): MessagesMethods {
  void db
  return {
    async appendMessages() { throw new Error('PostgreSQL store: appendMessages is not built yet') },
    async redactMessages() { throw new Error('PostgreSQL store: redactMessages is not built yet') },
    async readMessages() { throw new Error('PostgreSQL store: readMessages is not built yet') },
  }
}
