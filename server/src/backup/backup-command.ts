import { closeSync, existsSync, fsyncSync, linkSync, openSync, readFileSync, rmSync, statSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { basename, dirname, join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import Database from 'better-sqlite3'
import { databaseFile } from '../data-dir.js'
import { checkBlobKey } from '../attachments/blob-store.js'
import { attachmentKeys } from './attachment-keys.js'
import { BACKUP_FORMAT, BACKUP_FORMAT_VERSION, writeBackupTables, type BackupMeta } from './backup-file.js'

// `parley backup --out FILE`: a consistent snapshot of the SQLite store while a relay serves from it.
// SQLite's online backup copies every page inside one read transaction (one step for all pages: a
// backup in several steps restarts whenever the relay commits in between, and under load would never
// end); in WAL mode that reader blocks no writer. Then the secret and the attachment files the
// snapshot refers to are added, so one file restores a relay.

/** All pages in one backup step. */
const ALL_PAGES = 0x7fffffff

/** Files of the data directory a restore needs besides the database (the erasure ledger is kept apart on purpose). */
const DATA_DIR_FILES = ['secret.key', 'demo.json']

/** What a backup wrote. */
export interface BackupReport {
  file: string
  /** Size of the backup file. */
  bytes: number
  /** Size of the snapshot database within it. */
  databaseBytes: number
  schemaVersion: number
  createdAt: number
  secret: BackupMeta['secret']
  attachments: BackupMeta['attachments']
  /** Attachment files (and thumbnails) in the backup, and their bytes. */
  attachmentFiles: number
  attachmentBytes: number
  /** Keys the snapshot names whose file is missing from the data directory. */
  missingAttachments: number
  durationMs: number
}

/** Takes the backup of `dataDir` into `out`, which must not exist. */
export async function takeBackup(opts: { dataDir: string; out: string; env: NodeJS.ProcessEnv; now: () => number }): Promise<BackupReport> {
  const started = performance.now()
  const out = resolve(opts.out)
  if (existsSync(out)) throw new Error(`${out} exists: parley backup never overwrites a file; name a new one`)
  if (!existsSync(dirname(out))) throw new Error(`the directory of ${out} does not exist`)
  const source = databaseFile(opts.dataDir)
  if (!existsSync(source)) throw new Error(`no Parley database in ${opts.dataDir} (looked for ${basename(source)})`)
  const partial = join(dirname(out), `.${basename(out)}.${randomBytes(6).toString('hex')}.partial`)
  // Every transcript and the token secret: readable by its owner only, like the data directory, from
  // the first byte (SQLite would create it with the umask's mode, and a killed backup leaves it).
  closeSync(openSync(partial, 'wx', 0o600))
  try {
    const createdAt = opts.now()
    await snapshot(source, partial)
    const databaseBytes = statSync(partial).size
    const report = addDataDirFiles(partial, opts.dataDir, opts.env, createdAt)
    syncFile(partial)
    // link, unlike rename, refuses an existing name: a file made meanwhile is not overwritten either.
    try {
      linkSync(partial, out)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new Error(`${out} exists: parley backup never overwrites a file; name a new one`)
      throw err
    }
    syncFile(dirname(out))
    return { file: out, bytes: statSync(out).size, databaseBytes, createdAt, ...report, durationMs: Math.round(performance.now() - started) }
  } finally {
    rmSync(partial, { force: true })
    rmSync(`${partial}-journal`, { force: true })
  }
}

/** Copies the live database into `dest` as one read transaction sees it. */
async function snapshot(source: string, dest: string): Promise<void> {
  // Read-write open (nothing is written): a read-only connection cannot create the WAL index a stopped relay removed.
  const db = new Database(source, { fileMustExist: true })
  try {
    db.pragma('busy_timeout = 5000')
    await db.backup(dest, { progress: () => ALL_PAGES })
  } finally {
    db.close()
  }
}

/** Adds the backup tables to the snapshot at `file`: its facts, the secret and the attachments it names. */
function addDataDirFiles(file: string, dataDir: string, env: NodeJS.ProcessEnv, createdAt: number) {
  const db = new Database(file, { fileMustExist: true })
  try {
    // The snapshot keeps the relay's WAL mode; a backup is one self-contained file.
    db.pragma('journal_mode = DELETE')
    const schemaVersion = db.pragma('user_version', { simple: true }) as number
    const external = env.PARLEY_BLOB_URL !== undefined && env.PARLEY_BLOB_URL !== ''
    const files: { path: string; data: Buffer }[] = []
    for (const name of DATA_DIR_FILES) {
      if (existsSync(join(dataDir, name))) files.push({ path: name, data: readFileSync(join(dataDir, name)) })
    }
    let attachmentFiles = 0
    let attachmentBytes = 0
    let missingAttachments = 0
    if (!external) {
      for (const key of attachmentKeys(db)) {
        checkBlobKey(key)
        const path = join(dataDir, 'attachments', key)
        // An upload erased or swept after the snapshot: its record is in the backup, its file gone.
        if (!existsSync(path)) { missingAttachments++; continue }
        const data = readFileSync(path)
        files.push({ path: `attachments/${key}`, data })
        attachmentFiles++
        attachmentBytes += data.length
      }
    }
    const meta: BackupMeta = {
      format: BACKUP_FORMAT, formatVersion: BACKUP_FORMAT_VERSION, schemaVersion, createdAt,
      secret: existsSync(join(dataDir, 'secret.key')) ? 'file' : 'env',
      attachments: external ? 'external' : 'included',
    }
    writeBackupTables(db, meta, files)
    return { schemaVersion, secret: meta.secret, attachments: meta.attachments, attachmentFiles, attachmentBytes, missingAttachments }
  } finally {
    db.close()
  }
}

/** fsyncs a file or directory. */
export function syncFile(path: string): void {
  const fd = openSync(path, 'r')
  try { fsyncSync(fd) } finally { closeSync(fd) }
}

/** The human line for a backup report. */
export function describeBackup(r: BackupReport): string {
  const lines = [
    `backup written to ${r.file}: ${formatBytes(r.bytes)} (database ${formatBytes(r.databaseBytes)}, schema version ${r.schemaVersion}) in ${formatMs(r.durationMs)}`,
    r.attachments === 'included'
      ? `  attachments: ${r.attachmentFiles} files, ${formatBytes(r.attachmentBytes)}${r.missingAttachments > 0 ? ` (${r.missingAttachments} named but gone from the data directory)` : ''}`
      : '  attachments: in PARLEY_BLOB_URL, not in this file: back that bucket or directory up with its own tools',
    r.secret === 'file'
      ? '  token secret: included (the file is as sensitive as the data directory: keep it encrypted, off-site)'
      : '  token secret: PARLEY_SECRET, not in this file: keep it with the backup\'s key material',
  ]
  return lines.join('\n')
}

/** Bytes as B, KB, MB or GB (powers of 1024). */
export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB']
  let v = n
  let u = 0
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++ }
  return u === 0 ? `${n} B` : `${v.toFixed(1)} ${units[u]}`
}

/** A duration in ms or s. */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`
}

/** What to run instead on PostgreSQL: the exact pg_dump command. */
export function pgDumpAdvice(out: string): string {
  // As the owner role: the serving role sees no brand's rows outside a transaction naming one. The
  // variable's name, not a URL: it may hold a password.
  return `parley backup copies the SQLite store; this relay uses PostgreSQL (DATABASE_URL). Back it up with pg_dump as the schema's owner role:\n` +
    `  pg_dump --format=custom --enable-row-security --file ${JSON.stringify(out)} "$PARLEY_DATABASE_OWNER_URL"\n` +
    `(docs/operations.md, "Backups on PostgreSQL": restore with pg_restore as the owner, then parley replay-erasures with the erasure ledger)\n`
}
