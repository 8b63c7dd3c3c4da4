import { createServer, type Server } from 'node:net'
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createTestDatabase, describeWithPostgres, type TestDatabase } from '../../helpers/postgres.js'
import { REDIS_URL, testRedisPrefix } from '../../helpers/redis.js'
import { RelayProcess, killRelayProcesses, runCliToExit } from '../../helpers/relay-process.js'
import { tempDir } from '../../helpers/temp-dir.js'

// A node that cannot start says what failed, through which setting and where (never a password),
// and exits with code 2: with REDIS_URL set, the Redis clients and the PostgreSQL pool it opened
// must not keep the process alive. A start that succeeds logs its store and any migration it ran.

afterAll(killRelayProcesses)

/** Settles with a port that something else already listens on. */
async function takenPort(): Promise<{ port: number; server: Server }> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const addr = server.address()
  return { port: typeof addr === 'object' && addr ? addr.port : 0, server }
}

describeWithPostgres('a node that cannot start', () => {
  let db: TestDatabase
  const dir = tempDir()
  const secret = randomBytes(32).toString('base64url')
  const start = ['start', '--data-dir', dir.dir, '--host', '127.0.0.1']
  beforeAll(async () => { db = await createTestDatabase('parley_sf') })
  afterAll(async () => { await db?.drop(); dir.remove() })

  it('names DATABASE_URL, its address and the role PostgreSQL does not know', async () => {
    const url = new URL(db.url)
    url.username = 'no_such_role'
    url.password = 'hunter2-secret'
    const run = await runCliToExit([...start, '--port', '0'], { DATABASE_URL: url.toString() })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain(`cannot connect to PostgreSQL at DATABASE_URL (${url.hostname}:${url.port}/${db.name}): role "no_such_role" does not exist`)
    expect(run.stderr).not.toContain('hunter2')
  })

  it('names DATABASE_URL and the database that does not exist', async () => {
    const url = new URL(db.url)
    url.pathname = '/no_such_database'
    const run = await runCliToExit([...start, '--port', '0'], { DATABASE_URL: url.toString() })
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/cannot connect to PostgreSQL at DATABASE_URL \([^)]*\/no_such_database\): database "no_such_database" does not exist/)
  })

  it('names PARLEY_DATABASE_OWNER_URL when the owner role cannot connect', async () => {
    const owner = new URL(db.ownerUrl)
    owner.username = 'no_such_owner'
    const run = await runCliToExit([...start, '--port', '0'], { DATABASE_URL: db.url, PARLEY_DATABASE_OWNER_URL: owner.toString() })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('cannot connect to PostgreSQL at PARLEY_DATABASE_OWNER_URL (')
    expect(run.stderr).toContain('role "no_such_owner" does not exist')
  })

  it('exits 2 within seconds when REDIS_URL names a port nothing listens on, saying so', async () => {
    const run = await runCliToExit([...start, '--port', '0'], {
      DATABASE_URL: db.url, PARLEY_DATABASE_OWNER_URL: db.ownerUrl, REDIS_URL: 'redis://:hunter2@127.0.0.1:1', PARLEY_SECRET: secret,
    }, 8000)
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('cannot reach Redis at REDIS_URL (127.0.0.1:1): ECONNREFUSED')
    expect(run.stderr).not.toContain('hunter2')
  })

  it('exits 2 when its port is taken with REDIS_URL set, having let go of Redis and PostgreSQL', async () => {
    const taken = await takenPort()
    try {
      const run = await runCliToExit([...start, '--port', String(taken.port)], {
        DATABASE_URL: db.url, PARLEY_DATABASE_OWNER_URL: db.ownerUrl, REDIS_URL, PARLEY_SECRET: secret,
        PARLEY_REDIS_PREFIX: testRedisPrefix(),
      }, 15_000)
      expect(run.code).toBe(2)
      expect(run.stderr).toContain('EADDRINUSE')
    } finally {
      taken.server.close()
    }
  })
})

describeWithPostgres('a node that starts on PostgreSQL', () => {
  let db: TestDatabase
  const dirs: (() => void)[] = []
  beforeAll(async () => { db = await createTestDatabase('parley_sm') })
  afterAll(async () => { await db?.drop(); for (const d of dirs) d() })

  /** Starts a node on the test database and stops it; resolves its log lines. */
  async function startAndStop(): Promise<{ msg?: string; store?: string; from?: number; to?: number }[]> {
    const dir = tempDir()
    dirs.push(dir.remove)
    const relay = await RelayProcess.start({ dataDir: dir.dir, env: { DATABASE_URL: db.url, PARLEY_DATABASE_OWNER_URL: db.ownerUrl } })
    await relay.kill('SIGTERM')
    return relay.logs as { msg?: string }[]
  }

  it('logs its store, and the migration once: when the schema was behind', async () => {
    const first = await startAndStop()
    const address = `${new URL(db.url).hostname}:${new URL(db.url).port}/${db.name}`
    expect(first.find((l) => l.msg === `store: PostgreSQL at ${address}`)?.store).toBe('postgres')
    const migrated = first.find((l) => l.msg?.startsWith('PostgreSQL schema migrated'))
    expect(migrated?.msg).toMatch(/^PostgreSQL schema migrated from version 0 to \d+$/)
    expect(migrated?.from).toBe(0)
    const second = await startAndStop()
    expect(second.some((l) => l.msg?.startsWith('PostgreSQL schema migrated'))).toBe(false)
    expect(second.some((l) => l.msg === `store: PostgreSQL at ${address}`)).toBe(true)
  })
})
