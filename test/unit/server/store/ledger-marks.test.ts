import { createHash, randomBytes } from 'node:crypto'
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Store } from '../../../../server/src/store/store.js'
import { appendErasure, type ErasureLedgerEntry } from '../../../../server/src/data-rights/erasure-ledger.js'
import { replayLedgers } from '../../../../server/src/backup/erasure-replay.js'
import { STORES, type OpenedStore } from '../../../helpers/stores.js'
import { createStoreBrand } from '../../../helpers/brand.js'
import { tempDir } from '../../../helpers/temp-dir.js'

// The erasure ledger replay's high-water mark, kept in the database: a relay start replays only the
// entries after it, a database without it (or with an older one: a restored backup) replays from
// there, and a ledger whose first bytes differ is replayed whole.

const id = (prefix: string) => `${prefix}${randomBytes(8).toString('hex')}`

describe.each(STORES)('$name store: erasure ledger marks', (factory) => {
  let opened: OpenedStore
  let store: Store
  let dir: ReturnType<typeof tempDir>
  let brandId: string
  beforeAll(async () => { opened = await factory.create(); store = opened.store; dir = tempDir('parley-marks-'); brandId = await createStoreBrand(store) })
  afterAll(async () => { await opened.dispose(); dir.remove() })

  const entry = (n: number): ErasureLedgerEntry => ({ v: 1, brandId, requestId: id('er_'), visitorIds: [id('v_')], convIds: [id('c_')], at: 1000 + n })
  const since = async (path: string) => (await replayLedgers(store, [path], { all: false })).entries

  it('keeps a mark per ledger, across a restart', async () => {
    const ledgerId = id('l_')
    expect(await store.getLedgerMark(ledgerId)).toBeNull()
    await store.setLedgerMark(ledgerId, { bytes: 120, digest: 'a'.repeat(64) })
    await store.setLedgerMark(ledgerId, { bytes: 240, digest: 'b'.repeat(64) })
    store = await opened.reopen()
    expect(await store.getLedgerMark(ledgerId)).toEqual({ bytes: 240, digest: 'b'.repeat(64) })
    expect(await store.getLedgerMark(id('l_'))).toBeNull()
  })

  it('replays at start only what follows the mark; a full replay reads everything', async () => {
    const path = join(dir.dir, `${id('ledger-')}.jsonl`)
    await appendErasure(path, entry(1))
    await appendErasure(path, entry(2))
    expect(await since(path)).toBe(2)
    expect(await since(path)).toBe(0)
    await appendErasure(path, entry(3))
    // A torn tail is not counted as replayed: once whole (the next append starts a fresh line), the entry after it is.
    appendFileSync(path, '{"v":1,"brandId"')
    expect(await since(path)).toBe(1)
    await appendErasure(path, entry(4))
    expect(await since(path)).toBe(1)
    expect((await replayLedgers(store, [path], { all: true })).entries).toBe(4)
    expect(await since(path)).toBe(0)
  })

  it('replays everything on a database without the mark, and from an older mark onwards', async () => {
    const path = join(dir.dir, `${id('ledger-')}.jsonl`)
    await appendErasure(path, entry(1))
    expect(await since(path)).toBe(1)
    const first = await markOf(path)
    await appendErasure(path, entry(2))
    await appendErasure(path, entry(3))
    expect(await since(path)).toBe(2)
    // A database restored from before the second entry carries the mark of then.
    await store.setLedgerMark(first.ledgerId, first.mark)
    expect(await since(path)).toBe(2)
    const restored = await factory.create()
    try {
      expect((await replayLedgers(restored.store, [path], { all: false })).entries).toBe(3)
      expect((await replayLedgers(restored.store, [path], { all: false })).entries).toBe(0)
    } finally {
      await restored.dispose()
    }
  })

  it('replays a ledger whole when its first bytes are not the ones marked', async () => {
    const path = join(dir.dir, `${id('ledger-')}.jsonl`)
    const [a, b] = [entry(1), entry(2)]
    writeFileSync(path, `${JSON.stringify(a)}\n${JSON.stringify(b)}\n`)
    expect(await since(path)).toBe(2)
    // The same first line, then other entries (a ledger rewritten, or merged at a restore).
    writeFileSync(path, `${JSON.stringify(a)}\n${JSON.stringify(entry(3))}\n${JSON.stringify(entry(4))}\n`)
    expect(await since(path)).toBe(3)
  })

  /** The mark `path` has now in `store` (a ledger's id: the digest of its first line). */
  async function markOf(path: string) {
    const text = readFileSync(path)
    const ledgerId = createHash('sha256').update(text.subarray(0, text.indexOf(0x0a) + 1)).digest('hex')
    const mark = await store.getLedgerMark(ledgerId)
    expect(mark).not.toBeNull()
    return { ledgerId, mark: mark! }
  }
})
