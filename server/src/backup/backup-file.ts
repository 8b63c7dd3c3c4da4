import type Database from 'better-sqlite3'

// The backup file is the snapshot database itself plus two tables only a backup has: what it is
// (format, schema version, when, where the secret was) and the data directory's other files (the
// token secret, the attachment files). One file, readable with any SQLite tool, no archive format.

/** Marks a backup, so a restore can tell one from any SQLite file. */
export const BACKUP_FORMAT = 'parley-backup'
/** The layout of the two backup tables; a restore refuses a newer one. */
export const BACKUP_FORMAT_VERSION = 1
/** Holds the key/value facts (BackupMeta). */
export const META_TABLE = 'parley_backup'
/** Holds the data directory's files: path relative to the data dir, bytes. */
export const FILES_TABLE = 'parley_backup_files'

/** What a backup says about itself. */
export interface BackupMeta {
  format: string
  formatVersion: number
  /** The SQLite schema version (PRAGMA user_version) of the snapshot. */
  schemaVersion: number
  /** When the snapshot was taken (epoch ms). */
  createdAt: number
  /** `file`: secret.key is in the backup; `env`: the relay signed with PARLEY_SECRET, which the operator keeps. */
  secret: 'file' | 'env'
  /** `included`: the attachment files are in the backup; `external`: in PARLEY_BLOB_URL, backed up by its owner. */
  attachments: 'included' | 'external'
}

/** Adds the backup tables to a snapshot open for writing. */
export function writeBackupTables(db: Database.Database, meta: BackupMeta, files: Iterable<{ path: string; data: Buffer }>): void {
  db.exec(`CREATE TABLE ${META_TABLE} (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
    CREATE TABLE ${FILES_TABLE} (path TEXT PRIMARY KEY, data BLOB NOT NULL) STRICT;`)
  const putMeta = db.prepare(`INSERT INTO ${META_TABLE} (key, value) VALUES (?, ?)`)
  const putFile = db.prepare(`INSERT INTO ${FILES_TABLE} (path, data) VALUES (?, ?)`)
  db.transaction(() => {
    for (const [k, v] of Object.entries(meta)) putMeta.run(k, JSON.stringify(v))
    for (const f of files) putFile.run(f.path, f.data)
  })()
}

/** The backup's facts; throws saying why when `db` is not a Parley backup this relay can read. */
export function readBackupMeta(db: Database.Database, name: string): BackupMeta {
  const has = db.prepare(`SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?`).get(META_TABLE)
  if (!has) throw new Error(`${name} is not a Parley backup (no ${META_TABLE} table): make one with parley backup --out FILE`)
  const rows = db.prepare(`SELECT key, value FROM ${META_TABLE}`).all() as { key: string; value: string }[]
  const meta = Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value) as unknown])) as Partial<BackupMeta>
  if (meta.format !== BACKUP_FORMAT) throw new Error(`${name} is not a Parley backup (format ${String(meta.format)})`)
  if (meta.formatVersion !== BACKUP_FORMAT_VERSION) {
    throw new Error(`${name} is a Parley backup of format ${String(meta.formatVersion)}; this relay reads format ${BACKUP_FORMAT_VERSION}: restore it with the Parley version that made it`)
  }
  if (typeof meta.schemaVersion !== 'number' || typeof meta.createdAt !== 'number') throw new Error(`${name}: the backup's description is incomplete`)
  return meta as BackupMeta
}

/** The paths of the files a backup holds, with their sizes. */
export function listBackupFiles(db: Database.Database): { path: string; bytes: number }[] {
  return db.prepare(`SELECT path, length(data) AS bytes FROM ${FILES_TABLE} ORDER BY path`).all() as { path: string; bytes: number }[]
}

/** One file's bytes (read one at a time: attachments may be large). */
export function readBackupFile(db: Database.Database, path: string): Buffer {
  const row = db.prepare(`SELECT data FROM ${FILES_TABLE} WHERE path = ?`).get(path) as { data: Buffer } | undefined
  if (!row) throw new Error(`the backup has no file ${path}`)
  return row.data
}
