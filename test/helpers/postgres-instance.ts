import { execFile } from 'node:child_process'
import { chownSync, existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { freePort } from './free-port.js'
import { tempDir } from './temp-dir.js'

// A PostgreSQL server of the test's own, in a temp dir on an ephemeral port, that the test may stop
// and start: the machine's server is shared by every suite and is never restarted. PostgreSQL
// refuses to run as root, so as root (CI) the cluster belongs to the `postgres` user and its
// commands run through runuser.

const run = promisify(execFile)

/** The newest installed server's bin directory (Debian layout), or PARLEY_TEST_PG_BIN. */
function pgBin(): string {
  const given = process.env.PARLEY_TEST_PG_BIN
  if (given) return given
  const root = '/usr/lib/postgresql'
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a)) : []
  if (versions.length === 0) throw new Error(`no PostgreSQL server under ${root}; set PARLEY_TEST_PG_BIN`)
  return join(root, versions[0]!, 'bin')
}

/** Whether a private server can be run here: the binaries exist (and, as root, the postgres user). */
export function privatePostgresMissing(): string | null {
  try {
    pgBin()
  } catch (err) {
    return (err as Error).message
  }
  if (process.getuid?.() === 0 && !readFileSync('/etc/passwd', 'utf8').split('\n').some((l) => l.startsWith('postgres:'))) return 'running as root without a postgres user'
  return null
}

/** A private PostgreSQL server. */
export interface PostgresInstance {
  port: number
  /** The superuser's URL (trust auth, database `postgres`). */
  adminUrl: string
  /** Stops the server: `fast` as an operator's restart does, `immediate` as a crash. */
  stop(mode?: 'fast' | 'immediate'): Promise<void>
  /** Starts it again on the same port and data. */
  start(): Promise<void>
  /** Stops it and removes its directory. */
  close(): Promise<void>
}

/** Runs a server binary as the user that owns the cluster. */
async function asOwner(bin: string, args: readonly string[]): Promise<void> {
  const cmd = join(pgBin(), bin)
  if (process.getuid?.() === 0) await run('runuser', ['-u', 'postgres', '--', cmd, ...args])
  else await run(cmd, [...args])
}

/** Creates a cluster (initdb, trust auth, no fsync) and starts it. */
export async function startPostgresInstance(): Promise<PostgresInstance> {
  const port = await freePort()
  const { dir, remove } = tempDir('parley-pg-')
  if (process.getuid?.() === 0) {
    const { stdout } = await run('id', ['-u', 'postgres'])
    const { stdout: gid } = await run('id', ['-g', 'postgres'])
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()))
  }
  const data = join(dir, 'data')
  await asOwner('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '--no-instructions'])
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=50`
  const start = () => asOwner('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start'])
  const stop = async (mode: 'fast' | 'immediate' = 'fast') => {
    if (!existsSync(join(data, 'postmaster.pid'))) return
    await asOwner('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '60', 'stop'])
  }
  await start()
  return {
    port,
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop, start,
    async close() {
      await stop('immediate').catch(() => {})
      remove()
    },
  }
}
