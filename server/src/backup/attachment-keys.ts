import type Database from 'better-sqlite3'

/** Every blob key (file and thumbnail) the attachment records of the SQLite database `db` name. */
export function attachmentKeys(db: Database.Database): Set<string> {
  const rows = db.prepare('SELECT blob_key, thumb_key FROM attachments').all() as { blob_key: string; thumb_key: string | null }[]
  const keys = new Set<string>()
  for (const r of rows) {
    keys.add(r.blob_key)
    if (r.thumb_key) keys.add(r.thumb_key)
  }
  return keys
}
