import { randomUUID } from 'node:crypto'
import { copyFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'

/**
 * Messages in a copy of the SQLite database `file` made without its WAL (in `dir`): what
 * checkpoints have written into the file itself. 0 before the first checkpoint, when even the
 * schema is only in the WAL.
 */
export function messagesInFileAlone(file: string, dir: string): number {
  const copy = join(dir, `alone-${randomUUID()}.db`)
  copyFileSync(file, copy)
  const db = new Database(copy, { readonly: true })
  try {
    if (!db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'message_log'").get()) return 0
    return (db.prepare('SELECT count(*) AS n FROM message_log').get() as { n: number }).n
  } finally {
    db.close()
  }
}
