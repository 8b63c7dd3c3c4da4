import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { AppendRequest, Store } from '../../../../../server/src/store/store.js'
import { createSqliteStore } from '../../../../../server/src/store/sqlite/sqlite-store.js'
import { tempDir } from '../../../../helpers/temp-dir.js'

// A CLI admin command (`parley brand create`, `parley agent create`) opens the database while the
// relay runs (docs/operations.md). It opens it as an admin store, which leaves the relay's unfolded
// messages alone; and even a second full store on the same file must not break the relay's folds.

const id = (prefix: string) => `${prefix}${randomBytes(6).toString('hex')}`
const newBrand = () => ({
  brandId: id('b_'), name: 'B', siteKey: id('site_'), allowedOrigins: [], apiKeyHash: id('hash_'), createdAt: 1,
})
const msg = (brandId: string, convId: string, clientMsgId: string, at: number): AppendRequest => ({
  brandId, convId, clientMsgId, from: { kind: 'visitor', id: 'v1' }, text: `text ${clientMsgId}`, at, context: null,
})

describe('a second store on the same file while the relay runs', () => {
  let dir: ReturnType<typeof tempDir>
  const open: Store[] = []
  const store = (file: string) => { const s = createSqliteStore({ file }); open.push(s); return s }

  beforeEach(() => {
    // Keep the idle fold out of the picture: only commits and close() fold.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
    dir = tempDir('parley-review-')
  })
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close().catch(() => {})
    vi.useRealTimers()
    dir.remove()
  })

  it('lets the relay keep committing after a second store opened and closed the same database', async () => {
    const file = join(dir.dir, 'parley.db')
    const relay = store(file)
    const brand = newBrand()
    await relay.createBrand(brand)
    const [first] = await relay.appendMessages([msg(brand.brandId, 'c1', 'm1', 10)])
    expect(first).toMatchObject({ ok: true, message: { seq: 1 } })

    // `parley brand create` while the relay runs: open, write a brand, close (which folds m1).
    const cli = store(file)
    await cli.createBrand(newBrand())
    await cli.close()

    // The relay still holds m1 in its tail; its next commit folds c1 again → UNIQUE constraint
    // failed: message_by_seq.conv, message_by_seq.seq, and the whole batch rolls back.
    const [second] = await relay.appendMessages([msg(brand.brandId, 'c1', 'm2', 20)])
    expect(second).toMatchObject({ ok: true, message: { seq: 2 } })
    // ...and it is not a one-off: c1 stays first in the fold order, so every later batch fails too.
    const [third] = await relay.appendMessages([msg(brand.brandId, 'c1', 'm3', 30)])
    expect(third).toMatchObject({ ok: true, message: { seq: 3 } })
    expect((await relay.readMessages(brand.brandId, 'c1', 0, 10)).map((m) => m.seq)).toEqual([1, 2, 3])
  })

  it('lets a second store close cleanly after the relay folded the same rows', async () => {
    const file = join(dir.dir, 'parley.db')
    const relay = store(file)
    const brand = newBrand()
    await relay.createBrand(brand)
    await relay.appendMessages([msg(brand.brandId, 'c1', 'm1', 10)])

    const cli = store(file) // its tail now holds m1 too
    // The relay's next commit folds c1 (m1) into the index tables.
    await relay.appendMessages([msg(brand.brandId, 'c1', 'm2', 20)])
    await cli.createBrand(newBrand())
    // close() folds m1 a second time → UNIQUE constraint failed, and the connection stays open.
    await expect(cli.close()).resolves.toBeUndefined()
  })

  it('opens an admin store that manages brands, leaves unfolded messages alone and refuses to append', async () => {
    const file = join(dir.dir, 'parley.db')
    const relay = store(file)
    const brand = newBrand()
    await relay.createBrand(brand)
    await relay.appendMessages([msg(brand.brandId, 'c1', 'm1', 10)])
    const admin = createSqliteStore({ file, role: 'admin' })
    open.push(admin)
    const other = newBrand()
    await admin.createBrand(other)
    await expect(admin.appendMessages([msg(other.brandId, 'c9', 'x', 1)])).rejects.toThrow(/admin store/)
    await admin.close()
    expect(await relay.getBrand(other.brandId)).toMatchObject({ brandId: other.brandId })
    const [again] = await relay.appendMessages([msg(brand.brandId, 'c1', 'm2', 20)])
    expect(again).toMatchObject({ ok: true, message: { seq: 2 } })
    expect((await relay.readMessages(brand.brandId, 'c1', 0, 10)).map((m) => m.clientMsgId)).toEqual(['m1', 'm2'])
  })
})
