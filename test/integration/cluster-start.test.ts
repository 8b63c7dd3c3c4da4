import { afterAll, describe, expect, it } from 'vitest'
import { RelayProcess, killRelayProcesses } from '../helpers/relay-process.js'
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
