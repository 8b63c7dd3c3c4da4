import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createSqliteStore } from '../../../../../server/src/store/sqlite/sqlite-store.js'
import { createWorkerSqliteStore, resolveStoreThread, STORE_METHODS } from '../../../../../server/src/store/sqlite/worker-store.js'
import { tempDir } from '../../../../helpers/temp-dir.js'

describe('--store-thread', () => {
  it('auto keeps SQLite on the event loop with one or two cores', () => {
    expect(resolveStoreThread('auto', 1)).toBe('main')
    expect(resolveStoreThread('auto', 2)).toBe('main')
  })

  it('auto gives SQLite a thread of its own with three cores or more', () => {
    expect(resolveStoreThread('auto', 3)).toBe('worker')
    expect(resolveStoreThread('auto', 16)).toBe('worker')
  })

  it('takes an explicit choice whatever the core count, in any case', () => {
    expect(resolveStoreThread('worker', 1)).toBe('worker')
    expect(resolveStoreThread('MAIN', 64)).toBe('main')
  })

  it('refuses anything else, naming the choices', () => {
    expect(() => resolveStoreThread('thread', 2)).toThrow('--store-thread must be auto, worker or main')
    expect(() => resolveStoreThread('', 2)).toThrow('--store-thread must be auto, worker or main')
  })
})

describe('the worker-thread store proxy', () => {
  it('forwards every method the in-thread SQLite store has', async () => {
    const dir = tempDir('parley-store-')
    const file = join(dir.dir, 'parley.db')
    const local = createSqliteStore({ file })
    const worker = await createWorkerSqliteStore({ file })
    try {
      const methods = (o: object) => Object.entries(o).filter(([, v]) => typeof v === 'function').map(([k]) => k).sort()
      expect(methods(worker)).toEqual(methods(local))
      expect([...STORE_METHODS].sort()).toEqual(methods(local))
    } finally {
      await worker.close()
      await local.close()
      dir.remove()
    }
  })
})
