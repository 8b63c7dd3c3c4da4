import { execFile } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { AppendRequest, MessageRecord, Store } from '../../../server/src/store/store.js'
import { createTestDatabase, describeWithPostgres, openPostgresStore, type TestDatabase } from '../../helpers/postgres.js'
import { createStoreBrand } from '../../helpers/brand.js'
import { tempDir } from '../../helpers/temp-dir.js'
import { runCliToExit } from '../../helpers/relay-process.js'

// The PostgreSQL backup docs/operations.md prescribes, done as written: pg_dump -Fc as the owner
// role (with --enable-row-security: its tables force RLS) while a store is open, pg_restore as the
// owner into a new database created the same way, and a store opened on the restored database as
// the serving role reads every message back exactly. Then `parley replay-erasures` erases on the
// restored database what the ledger says was erased after the dump.

const run = promisify(execFile)
const CONVERSATIONS = 4
const PER_CONVERSATION = 120

describeWithPostgres('pg_dump and pg_restore of a Parley database', () => {
  const dir = tempDir('parley-pgdump-')
  let source: TestDatabase
  let target: TestDatabase
  let store: Store
  let brandId: string
  const convIds: string[] = []
  const written = new Map<string, MessageRecord[]>()
  let restored: Store

  beforeAll(async () => {
    source = await createTestDatabase('parley_bk')
    store = await openPostgresStore(source)
    brandId = await createStoreBrand(store, { name: 'Dumped' })
    for (let c = 0; c < CONVERSATIONS; c++) {
      const convId = `c_dump${c}`
      convIds.push(convId)
      const batch: AppendRequest[] = Array.from({ length: PER_CONVERSATION }, (_, i) => ({
        brandId, convId, clientMsgId: `m${i}`, from: { kind: 'visitor', id: `v_dump${c}` }, text: `message ${i} of ${c}: héllo 👋 'quoted' \\ back`, at: 1_000 + i, context: null,
      }))
      for (const r of await store.appendMessages(batch)) if (!r.ok) throw new Error(`append refused: ${JSON.stringify(r)}`)
      written.set(convId, await store.readMessages(brandId, convId, 0, 1000))
    }
    // The dump runs while the store is open, as it would beside serving nodes.
    const file = join(dir.dir, 'parley.dump')
    await run('pg_dump', ['--format=custom', '--enable-row-security', '--file', file, source.ownerUrl])
    target = await createTestDatabase('parley_rs')
    await run('pg_restore', ['--exit-on-error', '--no-owner', '--dbname', target.ownerUrl, file])
    restored = await openPostgresStore(target)
  }, 120_000)

  afterAll(async () => {
    await restored?.close()
    await store?.close()
    await target?.drop()
    await source?.drop()
    dir.remove()
  })

  it('wrote what it reads back before the dump', () => {
    for (const convId of convIds) expect(written.get(convId)).toHaveLength(PER_CONVERSATION)
  })

  it('restores every message exactly, read by the serving role through row-level security', async () => {
    for (const convId of convIds) {
      expect(await restored.readMessages(brandId, convId, 0, 1000)).toEqual(written.get(convId))
    }
  })

  it('restores the conversations\' headers and the brand', async () => {
    expect(await restored.getBrand(brandId)).toEqual(await store.getBrand(brandId))
    for (const convId of convIds) expect(await restored.getConversation(brandId, convId)).toEqual(await store.getConversation(brandId, convId))
  })

  it('erases again, with parley replay-erasures, a conversation the ledger lists', async () => {
    const ledger = join(dir.dir, 'erasure-ledger.jsonl')
    const erased = convIds[1]!
    writeFileSync(ledger, JSON.stringify({ v: 1, brandId, requestId: 'er_after_dump', visitorIds: ['v_dump1'], convIds: [erased], at: 5_000 }) + '\n')
    const replayed = await runCliToExit(['replay-erasures', '--data-dir', join(dir.dir, 'cli'), '--erasures', ledger, '--json'], { DATABASE_URL: target.url }, 60_000)
    expect(replayed.code, replayed.stderr).toBe(0)
    expect(JSON.parse(replayed.stdout)).toMatchObject({ ledgers: 1, entries: 1, conversations: 1 })
    expect(await restored.readMessages(brandId, erased, 0, 1000)).toEqual([])
    expect(await restored.readMessages(brandId, convIds[2]!, 0, 1000)).toEqual(written.get(convIds[2]!))
    // A second replay finds nothing left to erase.
    const again = await runCliToExit(['replay-erasures', '--data-dir', join(dir.dir, 'cli'), '--erasures', ledger, '--json'], { DATABASE_URL: target.url }, 60_000)
    expect(JSON.parse(again.stdout)).toMatchObject({ entries: 1, conversations: 0 })
  })

  it('keeps the restored data going: the next message of a conversation takes the next seq', async () => {
    const [r] = await restored.appendMessages([{ brandId, convId: convIds[0]!, clientMsgId: 'after-restore', from: { kind: 'visitor', id: 'v_dump0' }, text: 'after', at: 9_999, context: null }])
    expect(r?.ok && r.message.seq).toBe(PER_CONVERSATION + 1)
  })
})
