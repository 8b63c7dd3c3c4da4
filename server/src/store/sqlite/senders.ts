import type Database from 'better-sqlite3'

// Integer keys for (brand, kind, id) senders. Lookups are cached; a sender created inside a
// transaction is cached only once that transaction commits, so a rollback never leaves a
// cached id that the database does not hold.

const MAX_CACHED = 100_000

/** Resolves and creates sender keys on one connection. */
export interface SenderKeys {
  /** The key of a sender, or undefined if it never wrote or joined anything. */
  find(brandId: string, kind: string, extId: string): number | undefined
  /** The key of a sender, created if needed (call inside a transaction run by `transaction`). */
  ensure(brandId: string, kind: string, extId: string): number
  /** Wraps a function in an IMMEDIATE transaction that promotes new keys to the cache on commit. */
  transaction<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R
}

/** Sender keys over `db` (schema of migration 1). */
export function createSenderKeys(db: Database.Database): SenderKeys {
  const get = db.prepare<[string, string, string], { id: number }>('SELECT id FROM senders WHERE brand_id = ? AND kind = ? AND ext_id = ?')
  const insert = db.prepare('INSERT INTO senders (brand_id, kind, ext_id) VALUES (?, ?, ?)')
  const cache = new Map<string, number>()
  let created: Map<string, number> | null = null

  const remember = (key: string, id: number) => {
    if (cache.size >= MAX_CACHED) cache.clear()
    cache.set(key, id)
  }

  function find(brandId: string, kind: string, extId: string): number | undefined {
    const key = `${brandId}\u0000${kind}\u0000${extId}`
    const known = cache.get(key) ?? created?.get(key)
    if (known !== undefined) return known
    const row = get.get(brandId, kind, extId)
    // A row read here committed before (rows this transaction made are in `created`), so it is safe to cache.
    if (row) remember(key, row.id)
    return row?.id
  }

  return {
    find,
    ensure(brandId, kind, extId) {
      const id = find(brandId, kind, extId)
      if (id !== undefined) return id
      if (!created) throw new Error('sender keys are created only inside SenderKeys.transaction')
      const newId = Number(insert.run(brandId, kind, extId).lastInsertRowid)
      created.set(`${brandId}\u0000${kind}\u0000${extId}`, newId)
      return newId
    },
    transaction(fn) {
      const tx = db.transaction(fn)
      return (...args) => {
        created = new Map()
        try {
          const result = tx.immediate(...args)
          for (const [key, id] of created) remember(key, id)
          return result
        } finally {
          created = null
        }
      }
    },
  }
}
