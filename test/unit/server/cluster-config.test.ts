import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DEFAULT_PG_POOL_SIZE, readClusterSettings, readStoreSettings } from '../../../server/src/config.js'
import { loadSecret } from '../../../server/src/data-dir.js'

// Which store and which cluster a relay joins, from flags and environment; and the one token secret
// several nodes must share.

const PG = 'postgres://parley_app@db.internal:5432/parley'

describe('readStoreSettings', () => {
  it('keeps SQLite when no database URL is given', () => {
    expect(readStoreSettings({}, {})).toEqual({ kind: 'sqlite' })
    expect(readStoreSettings({}, { DATABASE_URL: '' })).toEqual({ kind: 'sqlite' })
  })

  it('serves from PostgreSQL with DATABASE_URL, the default pool, and no migration without an owner URL', () => {
    expect(readStoreSettings({}, { DATABASE_URL: PG })).toEqual({ kind: 'postgres', url: PG, ownerUrl: null, poolSize: DEFAULT_PG_POOL_SIZE })
  })

  it('lets --database-url win over DATABASE_URL, and reads the owner URL and pool size', () => {
    const flagUrl = 'postgresql://other@127.0.0.1/p'
    expect(readStoreSettings({ 'database-url': flagUrl }, { DATABASE_URL: PG, PARLEY_DATABASE_OWNER_URL: 'postgres://owner@db/parley', PARLEY_PG_POOL_SIZE: '25' }))
      .toEqual({ kind: 'postgres', url: flagUrl, ownerUrl: 'postgres://owner@db/parley', poolSize: 25 })
  })

  it.each([
    [{ DATABASE_URL: 'mysql://x@y/z' }, /DATABASE_URL.*postgres:\/\//],
    [{ DATABASE_URL: PG, PARLEY_DATABASE_OWNER_URL: 'owner' }, /PARLEY_DATABASE_OWNER_URL/],
    [{ DATABASE_URL: PG, PARLEY_PG_POOL_SIZE: '0' }, /PARLEY_PG_POOL_SIZE/],
    [{ DATABASE_URL: PG, PARLEY_PG_POOL_SIZE: '2.5' }, /PARLEY_PG_POOL_SIZE/],
  ])('refuses %o', (env, message) => {
    expect(() => readStoreSettings({}, env)).toThrow(message)
  })
})

describe('readClusterSettings', () => {
  it('runs alone without REDIS_URL, named by the default', () => {
    expect(readClusterSettings({}, {}, () => 'host-1-abc')).toEqual({ redisUrl: null, nodeId: 'host-1-abc', redisPrefix: 'parley:', busBatch: false })
  })

  it('joins REDIS_URL under PARLEY_NODE_ID; flags win', () => {
    expect(readClusterSettings({}, { REDIS_URL: 'redis://127.0.0.1:6379', PARLEY_NODE_ID: 'node-a' }, () => 'x')).toEqual({ redisUrl: 'redis://127.0.0.1:6379', nodeId: 'node-a', redisPrefix: 'parley:', busBatch: false })
    expect(readClusterSettings({ 'redis-url': 'rediss://r:6380', 'node-id': 'b' }, { REDIS_URL: 'redis://x', PARLEY_NODE_ID: 'a' }, () => 'x')).toEqual({ redisUrl: 'rediss://r:6380', nodeId: 'b', redisPrefix: 'parley:', busBatch: false })
  })

  it('puts the cluster\'s keys under PARLEY_REDIS_PREFIX; the flag wins', () => {
    expect(readClusterSettings({}, { PARLEY_REDIS_PREFIX: 'staging:' }, () => 'x').redisPrefix).toBe('staging:')
    expect(readClusterSettings({ 'redis-prefix': 'prod:' }, { PARLEY_REDIS_PREFIX: 'staging:' }, () => 'x').redisPrefix).toBe('prod:')
  })

  it('batches bus envelopes only with PARLEY_BUS_BATCH set to 1 or true', () => {
    expect(readClusterSettings({}, {}, () => 'x').busBatch).toBe(false)
    expect(readClusterSettings({}, { PARLEY_BUS_BATCH: '1' }, () => 'x').busBatch).toBe(true)
    expect(readClusterSettings({}, { PARLEY_BUS_BATCH: 'true' }, () => 'x').busBatch).toBe(true)
    expect(readClusterSettings({}, { PARLEY_BUS_BATCH: '0' }, () => 'x').busBatch).toBe(false)
  })

  it('refuses a prefix with a hash tag or spaces', () => {
    expect(() => readClusterSettings({}, { PARLEY_REDIS_PREFIX: '{x}:' }, () => 'x')).toThrow(/PARLEY_REDIS_PREFIX/)
    expect(() => readClusterSettings({}, { PARLEY_REDIS_PREFIX: 'a b' }, () => 'x')).toThrow(/PARLEY_REDIS_PREFIX/)
  })

  it('refuses a URL that is not Redis, and a node id with spaces', () => {
    expect(() => readClusterSettings({}, { REDIS_URL: 'http://r' }, () => 'x')).toThrow(/REDIS_URL/)
    expect(() => readClusterSettings({}, { PARLEY_NODE_ID: 'node a' }, () => 'x')).toThrow(/PARLEY_NODE_ID/)
  })
})

describe('loadSecret for several nodes', () => {
  const withDir = (fn: (dir: string) => void) => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-secret-'))
    try { fn(dir) } finally { rmSync(dir, { recursive: true, force: true }) }
  }

  it('refuses a secret of its own when the node is one of several, saying what to set', () => {
    withDir((dir) => {
      expect(() => loadSecret(dir, {}, 'REDIS_URL is set')).toThrow(/REDIS_URL is set.*set PARLEY_SECRET .* same value on every node/)
    })
  })

  it('takes the shared PARLEY_SECRET on every node', () => {
    withDir((dir) => {
      const secret = 's'.repeat(40)
      expect(loadSecret(dir, { PARLEY_SECRET: secret }, 'REDIS_URL is set').toString()).toBe(secret)
    })
  })

  it('still generates secret.key for a relay alone', () => {
    withDir((dir) => {
      expect(loadSecret(dir, {}).length).toBe(32)
      expect(loadSecret(dir, {})).toEqual(loadSecret(dir, {}))
    })
  })
})
