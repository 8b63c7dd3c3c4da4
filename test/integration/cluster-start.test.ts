import { afterAll, describe, expect, it } from 'vitest'
import { RelayProcess, killRelayProcesses, runCliToExit } from '../helpers/relay-process.js'
import { tempDir } from '../helpers/temp-dir.js'

// A relay that would join other nodes refuses to start without the token secret they share, before
// it opens anything, and says what to set. (The clustered start itself is in test/services/cluster/.)

afterAll(killRelayProcesses)

describe('parley start as one of several nodes', () => {
  it('refuses REDIS_URL without PARLEY_SECRET, naming the variable to set', async () => {
    const dir = tempDir()
    try {
      const env = { REDIS_URL: 'redis://127.0.0.1:1', PARLEY_SECRET: '' }
      const start = RelayProcess.start({ dataDir: dir.dir, env, startTimeoutMs: 10_000 })
      await expect(start).rejects.toThrow(/REDIS_URL is set.*set PARLEY_SECRET \(at least 32 characters\) to the same value on every node/)
    } finally {
      dir.remove()
    }
  })

  it('refuses a DATABASE_URL that is not PostgreSQL', async () => {
    const dir = tempDir()
    try {
      await expect(RelayProcess.start({ dataDir: dir.dir, env: { DATABASE_URL: 'mysql://x@y/z' } })).rejects.toThrow(/DATABASE_URL \(--database-url\) must be a postgres:\/\/ URL/)
    } finally {
      dir.remove()
    }
  })
})

describe('parley start with a store or cluster it cannot use', () => {
  it('names DATABASE_URL and its address when nothing listens there, and exits 2', async () => {
    const dir = tempDir()
    try {
      const run = await runCliToExit(['start', '--data-dir', dir.dir, '--port', '0'], { DATABASE_URL: 'postgres://parley:hunter2@127.0.0.1:1/parley' })
      expect(run.code).toBe(2)
      expect(run.stderr).toContain('cannot connect to PostgreSQL at DATABASE_URL (127.0.0.1:1/parley): ECONNREFUSED')
      expect(run.stderr).not.toContain('hunter2')
      expect(run.stderr).not.toContain('schema is at version')
    } finally {
      dir.remove()
    }
  })

  it('refuses REDIS_URL without DATABASE_URL: nodes on SQLite files of their own would disagree', async () => {
    const dir = tempDir()
    try {
      const run = await runCliToExit(['start', '--data-dir', dir.dir, '--port', '0'], { REDIS_URL: 'redis://127.0.0.1:1', PARLEY_SECRET: 'x'.repeat(32), DATABASE_URL: '' })
      expect(run.code).toBe(2)
      expect(run.stderr).toContain('REDIS_URL is set but DATABASE_URL is not: the nodes of a cluster must share one PostgreSQL database')
    } finally {
      dir.remove()
    }
  })
})
