import type Database from 'better-sqlite3'
import { PairMap } from '../../pair-map.js'

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
  // kind → (brand, external id) → key: no joined string key per lookup (map2.ts).
  const cache = new Map<string, PairMap<string, string, number>>()
  /** Keys this transaction created, by `brand NUL kind NUL id`: cached only once it commits. */
  let created: Map<string, { brandId: string; kind: string; extId: string; id: number }> | null = null
  const createdKey = (brandId: string, kind: string, extId: string) => `${brandId}\u0000${kind}\u0000${extId}`

  const remember = (brandId: string, kind: string, extId: string, id: number) => {
    // Called on misses only; there are two kinds, so the sum is two reads.
    let cached = 0
    for (const ofKind of cache.values()) cached += ofKind.size
    if (cached >= MAX_CACHED) cache.clear()
    let ofKind = cache.get(kind)
    if (!ofKind) cache.set(kind, (ofKind = new PairMap()))
    ofKind.set(brandId, extId, id)
  }

  function find(brandId: string, kind: string, extId: string): number | undefined {
    const known = cache.get(kind)?.get(brandId, extId) ?? created?.get(createdKey(brandId, kind, extId))?.id
    if (known !== undefined) return known
    const row = get.get(brandId, kind, extId)
    // A row read here committed before (rows this transaction made are in `created`), so it is safe to cache.
    if (row) remember(brandId, kind, extId, row.id)
    return row?.id
  }

  return {
    find,
    ensure(brandId, kind, extId) {
      const id = find(brandId, kind, extId)
      if (id !== undefined) return id
      if (!created) throw new Error('sender keys are created only inside SenderKeys.transaction')
      const newId = Number(insert.run(brandId, kind, extId).lastInsertRowid)
      created.set(createdKey(brandId, kind, extId), { brandId, kind, extId, id: newId })
      return newId
    },
    transaction(fn) {
      const tx = db.transaction(fn)
      return (...args) => {
        created = new Map()
        try {
          const result = tx.immediate(...args)
          for (const c of created.values()) remember(c.brandId, c.kind, c.extId, c.id)
          return result
        } finally {
          created = null
        }
      }
    },
  }
}
