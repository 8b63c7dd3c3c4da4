import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { systemClock } from '../deps.js'
import type { Store } from '../store/store.js'
import { readStoreSettings, type StoreSettings } from '../config.js'
import { erasureLedgerPath } from '../data-rights/erasure-ledger.js'
import { describeBackup, pgDumpAdvice, takeBackup } from './backup-command.js'
import { describeRestore, restoreBackup } from './restore-command.js'
import { replayLedgers } from './erasure-replay.js'

// The command lines of `parley backup`, `parley restore` and `parley replay-erasures` (cli.ts
// parses the flags and hands them here).

/** The flags these commands read. */
interface BackupFlags {
  'json'?: boolean
  'data-dir'?: string
  'out'?: string
  'erasures'?: string[]
}

/** Prints `human`, or `data` as one JSON line under --json. */
function printer(f: BackupFlags): (human: string, data: unknown) => void {
  return (human, data) => process.stdout.write(f.json ? JSON.stringify(data) + '\n' : human + '\n')
}

/** `parley backup --out FILE` and `parley restore FILE`, which read and write files, not a store. */
export async function backupOrRestore(positionals: readonly string[], f: BackupFlags & Record<string, unknown>, env: NodeJS.ProcessEnv): Promise<number> {
  const print = printer(f)
  const dataDir = f['data-dir'] ?? env.PARLEY_DATA_DIR ?? '.parley-data'
  const postgres = readStoreSettings(f, env).kind === 'postgres'
  if (positionals[0] === 'backup') {
    if (positionals.length !== 1 || !f.out) throw new Error('backup needs --out FILE (a new file)')
    if (postgres) {
      process.stderr.write(pgDumpAdvice(f.out))
      return 1
    }
    const r = await takeBackup({ dataDir: resolve(dataDir), out: f.out, env, now: () => systemClock.now() })
    print(describeBackup(r), r)
    return 0
  }
  const file = positionals[1]
  if (positionals.length !== 2 || !file) throw new Error('restore needs the backup file: parley restore FILE [--data-dir DIR] [--erasures LEDGER ...]')
  if (postgres) throw new Error('parley restore writes a SQLite data directory; on PostgreSQL restore with pg_restore, then run parley replay-erasures (docs/operations.md)')
  const r = await restoreBackup({ file, dataDir, ledgers: f.erasures ?? [], env })
  print(describeRestore(r), r)
  // Said on stderr too, --json or not: a script that reads only the JSON or only the exit code must
  // still be told that visitors erased since the backup are back.
  if (r.replay.ledgers === 0) process.stderr.write('parley restore: warning: no erasure ledger replayed (--erasures PATH): visitors erased since this backup was taken are in the restored data\n')
  return 0
}

/** `parley replay-erasures [--erasures LEDGER ...]`: every entry of each ledger, on PostgreSQL after pg_restore. */
export async function replayErasuresCommand(store: Store, where: { dataDir: string; storeSettings: StoreSettings }, f: BackupFlags, env: NodeJS.ProcessEnv): Promise<number> {
  // On SQLite the relay replays its ledger at every start, and restore does it too; a second
  // process erasing under a running relay would leave the relay's caches stale.
  if (where.storeSettings.kind !== 'postgres') throw new Error('replay-erasures is for PostgreSQL (after pg_restore); on SQLite, parley restore --erasures PATH and every relay start replay the ledger')
  const missing = (f.erasures ?? []).filter((p) => !existsSync(p))
  if (missing.length > 0) throw new Error(`no erasure ledger at ${missing.join(', ')}`)
  const paths = f.erasures ?? [erasureLedgerPath(where.dataDir, env)]
  const r = await replayLedgers(store, paths, { all: true })
  printer(f)(`${r.entries} entries from ${r.ledgers} ledger(s) replayed in ${r.durationMs} ms: ${r.conversations} conversations and ${r.visitors} visitors erased again, ${r.consents} consent withdrawals made again`, r)
  return 0
}
