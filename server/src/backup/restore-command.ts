import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import Database from 'better-sqlite3'
import { databaseFile } from '../data-dir.js'
import { checkBlobKey } from '../attachments/blob-store.js'
import { MIGRATIONS } from '../store/sqlite/migrations.js'
import { createSqliteStore } from '../store/sqlite/sqlite-store.js'
import { erasureLedgerPath, readErasures } from '../data-rights/erasure-ledger.js'
import { FILES_TABLE, META_TABLE, listBackupFiles, readBackupFile, readBackupMeta, type BackupMeta } from './backup-file.js'
import { formatBytes, formatMs, syncFile } from './backup-command.js'
import { attachmentKeys } from './attachment-keys.js'
import { replayLedgers, type ReplayReport } from './erasure-replay.js'

// `parley restore FILE`: a backup into an empty data directory (never over a relay's state: mixing
// two would keep half of each), brought to this relay's schema, then erased again as the erasure
// ledgers say, so what was erased after the backup was taken stays erased.

/** What a restore did. */
export interface RestoreReport {
  dataDir: string
  /** Size of the backup file read. */
  bytes: number
  /** Size of the restored database. */
  databaseBytes: number
  backupCreatedAt: number
  /** The schema version of the backup, and the one this relay migrated it to. */
  schemaFrom: number
  schemaTo: number
  secret: BackupMeta['secret']
  attachments: BackupMeta['attachments']
  /** Files written beside the database (secret, attachments), and their bytes. */
  files: number
  fileBytes: number
  /** Restored attachment files removed because the replay erased what named them. */
  erasedFiles: number
  replay: ReplayReport
  durationMs: number
}

/** Restores `file` into `dataDir` (missing or empty) and replays the erasure ledgers at `ledgers`. */
export async function restoreBackup(opts: { file: string; dataDir: string; ledgers: readonly string[]; env: NodeJS.ProcessEnv }): Promise<RestoreReport> {
  const started = performance.now()
  const file = resolve(opts.file)
  if (!existsSync(file)) throw new Error(`no backup file ${file}`)
  const dataDir = resolve(opts.dataDir)
  const present = existsSync(dataDir) ? readdirSync(dataDir) : []
  if (present.length > 0) {
    throw new Error(`${dataDir} is not empty (${present.length} entries): restore only into an empty data directory, so nothing of another relay's state mixes with the backup's; name a new --data-dir`)
  }
  // A ledger named but missing is most likely a wrong path: restoring without it would bring erased data back.
  const missing = opts.ledgers.filter((p) => !existsSync(p))
  if (missing.length > 0) throw new Error(`no erasure ledger at ${missing.join(', ')}: name the old data directory's erasure-ledger.jsonl (leave --erasures out only when no erasure was ever made)`)
  mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  try {
    return await restoreInto(file, dataDir, opts, started)
  } catch (err) {
    // The directory was empty: leave it so, and the next attempt is not refused for what this one left.
    for (const name of readdirSync(dataDir)) rmSync(join(dataDir, name), { recursive: true, force: true })
    throw err
  }
}

async function restoreInto(file: string, dataDir: string, opts: { ledgers: readonly string[]; env: NodeJS.ProcessEnv }, started: number): Promise<RestoreReport> {
  const backup = new Database(file, { readonly: true, fileMustExist: true })
  let meta: BackupMeta
  let written: { files: number; bytes: number; attachments: string[] }
  const restoring = join(dataDir, 'parley.db.restoring')
  try {
    meta = readBackupMeta(backup, file)
    if (meta.schemaVersion > MIGRATIONS.length) {
      throw new Error(`${file} holds schema version ${meta.schemaVersion}, newer than this relay's (${MIGRATIONS.length}): restore it with the Parley version that made it, or a newer one`)
    }
    copyFileSync(file, restoring)
    written = writeFiles(backup, dataDir)
  } finally {
    backup.close()
  }
  dropBackupTables(restoring)
  renameSync(restoring, databaseFile(dataDir))
  syncFile(dataDir)

  const ledgers = [...new Set([...opts.ledgers, ...(opts.env.PARLEY_ERASURE_LEDGER ? [opts.env.PARLEY_ERASURE_LEDGER] : [])].map((p) => resolve(p)))]
  const store = createSqliteStore({ file: databaseFile(dataDir) })
  let replay: ReplayReport
  try {
    replay = await replayLedgers(store, ledgers, { all: true })
    // The pages the replay freed must not stay readable in the WAL.
    await store.truncateWal()
  } finally {
    await store.close()
  }
  await keepLedger(ledgers, erasureLedgerPath(dataDir, opts.env))
  const erasedFiles = removeUnnamedAttachments(dataDir, written.attachments)
  return {
    dataDir, bytes: statSync(file).size, databaseBytes: statSync(databaseFile(dataDir)).size, backupCreatedAt: meta.createdAt,
    schemaFrom: meta.schemaVersion, schemaTo: MIGRATIONS.length, secret: meta.secret, attachments: meta.attachments,
    files: written.files, fileBytes: written.bytes, erasedFiles, replay, durationMs: Math.round(performance.now() - started),
  }
}

/** Writes the backup's files under `dataDir`, checking each path stays inside it. */
function writeFiles(backup: Database.Database, dataDir: string): { files: number; bytes: number; attachments: string[] } {
  let bytes = 0
  const attachments: string[] = []
  const listed = listBackupFiles(backup)
  for (const { path } of listed) {
    if (path.startsWith('attachments/')) {
      checkBlobKey(path.slice('attachments/'.length))
      attachments.push(path.slice('attachments/'.length))
    } else if (!/^[a-z][a-z0-9.-]*$/.test(path)) {
      throw new Error(`the backup names a file outside the data directory's layout: ${JSON.stringify(path.slice(0, 80))}`)
    }
    const target = join(dataDir, path)
    mkdirSync(dirname(target), { recursive: true, mode: 0o700 })
    const data = readBackupFile(backup, path)
    writeFileSync(target, data, { mode: 0o600, flag: 'wx' })
    bytes += data.length
  }
  return { files: listed.length, bytes, attachments }
}

/** Removes the backup's own tables (zeroing their pages: they hold the secret) and returns the file to WAL mode. */
function dropBackupTables(file: string): void {
  const db = new Database(file, { fileMustExist: true })
  try {
    db.pragma('secure_delete = ON')
    db.exec(`DROP TABLE ${FILES_TABLE}; DROP TABLE ${META_TABLE};`)
    db.exec('VACUUM')
    db.pragma('journal_mode = WAL')
  } finally {
    db.close()
  }
}

/**
 * The restored relay's own ledger starts with the entries replayed, so a later restore of an even
 * older backup from this data directory erases them too.
 */
async function keepLedger(sources: readonly string[], target: string): Promise<void> {
  if (sources.includes(resolve(target)) || existsSync(target)) return
  const entries = (await Promise.all(sources.map((p) => readErasures(p)))).flat()
  if (entries.length === 0) return
  writeFileSync(target, entries.map((e) => JSON.stringify(e) + '\n').join(''), { mode: 0o600, flag: 'wx' })
}

/** Deletes restored attachment files that no attachment record names any more; returns how many. */
function removeUnnamedAttachments(dataDir: string, restored: readonly string[]): number {
  if (restored.length === 0) return 0
  const db = new Database(databaseFile(dataDir), { readonly: true, fileMustExist: true })
  let named: Set<string>
  try {
    named = attachmentKeys(db)
  } finally {
    db.close()
  }
  let removed = 0
  for (const key of restored) {
    if (named.has(key)) continue
    rmSync(join(dataDir, 'attachments', key), { force: true })
    removed++
  }
  return removed
}

/** The human lines for a restore report. */
export function describeRestore(r: RestoreReport): string {
  const p = r.replay
  return [
    `restored ${formatBytes(r.bytes)} backup of ${new Date(r.backupCreatedAt).toISOString()} into ${r.dataDir} in ${formatMs(r.durationMs)}`,
    `  database: ${formatBytes(r.databaseBytes)}, schema version ${r.schemaFrom}${r.schemaTo !== r.schemaFrom ? ` migrated to ${r.schemaTo}` : ''}`,
    `  files: ${r.files} (${formatBytes(r.fileBytes)})${r.erasedFiles > 0 ? `, ${r.erasedFiles} attachment files removed as erased` : ''}`,
    p.ledgers === 0
      ? '  erasure ledger: none replayed. Name the old data directory\'s ledger with --erasures PATH, or data erased since this backup comes back'
      : `  erasure ledger: ${p.entries} entries from ${p.ledgers} ledger(s) replayed in ${formatMs(p.durationMs)}: ${p.conversations} conversations and ${p.visitors} visitors erased again, ${p.consents} consent withdrawals made again`,
    ...(r.secret === 'env' ? ['  token secret: the relay signed with PARLEY_SECRET; start this one with the same value, or issued visitor tokens are refused'] : []),
    ...(r.attachments === 'external' ? ['  attachments: in PARLEY_BLOB_URL, not in the backup: point this relay at that store (or a copy of it)'] : []),
  ].join('\n')
}
