import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { RelayProcess, createBrandWithCli, runCliToExit, type CliBrand } from '../helpers/relay-process.js'
import { fetchRest } from '../helpers/rest.js'
import { tempDir } from '../helpers/temp-dir.js'
import { databaseFile } from '../../server/src/data-dir.js'
import { createSqliteStore } from '../../server/src/store/sqlite/sqlite-store.js'
import { MIGRATIONS } from '../../server/src/store/sqlite/migrations.js'
import { takeBackup } from '../../server/src/backup/backup-command.js'
import { until } from '../helpers/until.js'

// `parley backup` and `parley restore` as an operator runs them: one file out, an empty data
// directory in, the secret and the attachment files with the database; and every refusal.

describe('parley backup and parley restore', () => {
  const cleanup: (() => Promise<unknown> | void)[] = []
  afterEach(async () => { for (const c of cleanup.splice(0).reverse()) await c() })

  function dir(): string {
    const d = tempDir('parley-backup-')
    cleanup.push(d.remove)
    return d.dir
  }

  /** A data directory with a brand and one sent attachment whose file is on disk, plus a stray file nothing names. */
  async function seeded(): Promise<{ dataDir: string; brand: CliBrand; file: Buffer }> {
    const dataDir = join(dir(), 'live')
    const brand = await createBrandWithCli(dataDir, 'Backed up', ['https://shop.example'])
    const store = createSqliteStore({ file: databaseFile(dataDir) })
    try {
      await store.createAttachment({
        brandId: brand.brandId, attachmentId: 'att_backup1', uploader: 'visitor:v1', name: 'receipt.pdf', type: 'application/pdf',
        size: 9, width: null, height: null, blobKey: `${brand.brandId}/att_backup1`, thumbKey: null, createdAt: Date.now(), convId: null, seq: null,
      })
    } finally {
      await store.close()
    }
    const file = Buffer.from('%PDF-1.4\n')
    mkdirSync(join(dataDir, 'attachments', brand.brandId), { recursive: true })
    writeFileSync(join(dataDir, 'attachments', brand.brandId, 'att_backup1'), file)
    writeFileSync(join(dataDir, 'attachments', brand.brandId, 'att_stray'), 'named by nothing')
    return { dataDir, brand, file }
  }

  it('restores database, token secret and attachment files into a new data directory a relay serves from', async () => {
    const { dataDir, brand, file } = await seeded()
    const out = join(dir(), 'parley.backup')
    const made = await runCliToExit(['backup', '--data-dir', dataDir, '--out', out, '--json'])
    expect(made.code, made.stderr).toBe(0)
    const report = JSON.parse(made.stdout)
    expect(report).toMatchObject({ file: out, schemaVersion: MIGRATIONS.length, secret: 'file', attachments: 'included', attachmentFiles: 1, attachmentBytes: file.length, missingAttachments: 0 })
    expect(report.bytes).toBe(readFileSync(out).length)

    const target = join(dir(), 'restored')
    const restored = await runCliToExit(['restore', out, '--data-dir', target])
    expect(restored.code, restored.stderr).toBe(0)
    expect(restored.stdout).toContain(`into ${target}`)
    expect(restored.stdout).toContain('erasure ledger: none replayed')
    expect(restored.stderr).toContain('warning: no erasure ledger replayed')
    expect(readFileSync(join(target, 'secret.key'))).toEqual(readFileSync(join(dataDir, 'secret.key')))
    expect(readFileSync(join(target, 'attachments', brand.brandId, 'att_backup1'))).toEqual(file)
    expect(existsSync(join(target, 'attachments', brand.brandId, 'att_stray'))).toBe(false)
    const db = new Database(databaseFile(target), { readonly: true })
    try {
      expect(db.prepare(`SELECT name FROM sqlite_schema WHERE name LIKE 'parley_backup%'`).all()).toEqual([])
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    } finally {
      db.close()
    }

    const relay = await RelayProcess.start({ dataDir: target })
    cleanup.push(() => relay.kill('SIGTERM'))
    // The brand's key (in the database) and the attachment record came back.
    const listed = await fetchRest(relay.url, 'GET', '/v1/keys', brand.apiKey)
    expect(listed.status).toBe(200)
    expect(listed.body.keys).toHaveLength(1)
  })

  it('creates the snapshot owner-only before SQLite writes a page into it (a killed backup leaves no readable copy)', async () => {
    // A source in rollback-journal mode, locked by a writer: the backup waits with its file made.
    const dataDir = dir()
    const source = new Database(databaseFile(dataDir))
    cleanup.push(() => { source.close() })
    source.exec("CREATE TABLE t (x TEXT); INSERT INTO t VALUES ('transcript')")
    source.exec('BEGIN EXCLUSIVE')
    const outDir = dir()
    const backup = takeBackup({ dataDir, out: join(outDir, 'parley.backup'), env: {}, now: () => 1 }).then(() => null, (err: unknown) => err)
    const partial = await until(() => readdirSync(outDir).find((n) => n.endsWith('.partial')), 'the partial file')
    expect(statSync(join(outDir, partial)).mode & 0o777).toBe(0o600)
    source.exec('COMMIT')
    // No attachments table in this database: the backup fails after the snapshot, and leaves nothing.
    expect(await backup).toBeInstanceOf(Error)
    expect(readdirSync(outDir)).toEqual([])
  })

  it('replays the ledger at the first start only, and warns while it sits beside the database', async () => {
    const { dataDir, brand } = await seeded()
    const ledger = join(dataDir, 'erasure-ledger.jsonl')
    writeFileSync(ledger, JSON.stringify({ v: 1, brandId: brand.brandId, requestId: 'er_1', visitorIds: ['v_gone'], convIds: ['c_gone'], at: 1 }) + '\n')
    const startAndStop = async (env: Record<string, string> = {}) => {
      const relay = await RelayProcess.start({ dataDir, env })
      await relay.kill('SIGTERM')
      const replayed = relay.logs.filter((l) => (l as { msg?: string }).msg === 'erasure ledger replayed')
      const warned = relay.logs.filter((l) => String((l as { msg?: string }).msg).startsWith('the erasure ledger sits beside the database'))
      return { replayed, warned: warned.length }
    }
    const first = await startAndStop()
    expect(first.replayed).toEqual([expect.objectContaining({ entries: 1 })])
    expect(first.warned).toBe(1)
    const second = await startAndStop({ PARLEY_ERASURE_LEDGER: ledger })
    expect(second).toEqual({ replayed: [], warned: 0 })
  })

  it('never overwrites an existing file', async () => {
    const { dataDir } = await seeded()
    const out = join(dir(), 'taken')
    writeFileSync(out, 'precious')
    const made = await runCliToExit(['backup', '--data-dir', dataDir, '--out', out])
    expect(made.code).toBe(2)
    expect(made.stderr).toContain('exists: parley backup never overwrites a file')
    expect(readFileSync(out, 'utf8')).toBe('precious')
  })

  it('restores only into an empty data directory', async () => {
    const { dataDir } = await seeded()
    const out = join(dir(), 'parley.backup')
    expect((await runCliToExit(['backup', '--data-dir', dataDir, '--out', out])).code).toBe(0)
    const restored = await runCliToExit(['restore', out, '--data-dir', dataDir])
    expect(restored.code).toBe(2)
    expect(restored.stderr).toContain('is not empty')
    expect(restored.stderr).toContain('restore only into an empty data directory')
  })

  it('refuses an erasure ledger that is not there, and leaves the data directory empty after a failed restore', async () => {
    const { dataDir } = await seeded()
    const out = join(dir(), 'parley.backup')
    expect((await runCliToExit(['backup', '--data-dir', dataDir, '--out', out])).code).toBe(0)
    const target = join(dir(), 'restored')
    const typo = await runCliToExit(['restore', out, '--data-dir', target, '--erasures', join(dataDir, 'erasure-ledger.jsnol')])
    expect(typo.code).toBe(2)
    expect(typo.stderr).toContain('no erasure ledger at')
    expect(existsSync(target)).toBe(false)
    const torn = join(dir(), 'torn.backup')
    writeFileSync(torn, readFileSync(out).subarray(0, 8192))
    const failed = await runCliToExit(['restore', torn, '--data-dir', target])
    expect(failed.code).toBe(2)
    expect(readdirSync(target)).toEqual([])
  })

  it('refuses a file that is not a Parley backup, and a backup of a newer schema', async () => {
    const plain = join(dir(), 'plain.db')
    new Database(plain).exec('CREATE TABLE t (x)').close()
    const notBackup = await runCliToExit(['restore', plain, '--data-dir', join(dir(), 'a')])
    expect(notBackup.code).toBe(2)
    expect(notBackup.stderr).toContain('is not a Parley backup')

    const { dataDir } = await seeded()
    const out = join(dir(), 'future.backup')
    expect((await runCliToExit(['backup', '--data-dir', dataDir, '--out', out])).code).toBe(0)
    const db = new Database(out)
    db.prepare(`UPDATE parley_backup SET value = ? WHERE key = 'schemaVersion'`).run(String(MIGRATIONS.length + 1))
    db.close()
    const target = join(dir(), 'b')
    const newer = await runCliToExit(['restore', out, '--data-dir', target])
    expect(newer.code).toBe(2)
    expect(newer.stderr).toContain(`holds schema version ${MIGRATIONS.length + 1}, newer than this relay's (${MIGRATIONS.length})`)
    expect(existsSync(databaseFile(target))).toBe(false)
  })

  it('on PostgreSQL prints the pg_dump command instead, and fails', async () => {
    const out = join(dir(), 'pg.dump')
    const made = await runCliToExit(['backup', '--data-dir', dir(), '--out', out], { DATABASE_URL: 'postgres://parley@127.0.0.1:1/none' })
    expect(made.code).toBe(1)
    expect(made.stderr).toContain(`pg_dump --format=custom --enable-row-security --file "${out}" "$PARLEY_DATABASE_OWNER_URL"`)
    expect(existsSync(out)).toBe(false)
  })
})
