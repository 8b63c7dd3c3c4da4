import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { runMaskingRun } from '../../../../server/src/masking/mask-existing.js'
import { createSqliteStore } from '../../../../server/src/store/sqlite/sqlite-store.js'
import type { Store } from '../../../../server/src/store/store.js'
import { migrate } from '../../../../server/src/store/sqlite/migrations.js'
import { createMaskingRuns } from '../../../../server/src/store/sqlite/masking-runs.js'
import { systemClock } from '../../../../server/src/deps.js'
import { tempDir } from '../../../helpers/temp-dir.js'
import { CARDS, cardForms, seedCards } from '../../../helpers/masking-seed.js'

// The masking run on real SQLite files: under the brand's current configuration (a detector turned
// off masks nothing, a brand pattern runs on re2), and two runners on the same run (the command
// beside the relay) end with the counts of one.

const opened: { store: Store; remove?: () => void }[] = []
afterEach(async () => {
  for (const o of opened.splice(0)) { await o.store.close(); o.remove?.() }
})

async function seededStore(extraPlain = 0) {
  const { dir, remove } = tempDir('parley-mask-unit-')
  const file = join(dir, 'parley.db')
  const store = createSqliteStore({ file })
  opened.push({ store, remove })
  const brandId = 'b_mask'
  await store.createBrand({ brandId, name: 'B', siteKey: 'site_mask', allowedOrigins: [], apiKeyHash: 'hash_mask', createdAt: 1 })
  const seed = await seedCards(store, brandId, CARDS.a, 'u', extraPlain)
  return { file, store, brandId, seed }
}

const texts = async (store: Store, brandId: string, convId: string) => (await store.readMessages(brandId, convId, 0, 1000)).map((m) => m.text)

describe('runMaskingRun', () => {
  it('masks nothing while the brand has card numbers turned off, and masks them once it turns them on', async () => {
    const { store, brandId, seed } = await seededStore()
    await store.setMaskingConfig(brandId, { card: { enabled: false } })
    const before = await texts(store, brandId, seed.openConvId)
    const off = await runMaskingRun({ store, clock: systemClock }, brandId, (await store.startMaskingRun(brandId, 'mr_off', 1)).runId)
    expect(off).toMatchObject({ status: 'done', scanned: seed.messages, changed: 0, contextsChanged: 0 })
    expect(await texts(store, brandId, seed.openConvId)).toEqual(before)

    await store.setMaskingConfig(brandId, {})
    const on = await runMaskingRun({ store, clock: systemClock }, brandId, (await store.startMaskingRun(brandId, 'mr_on', 2)).runId)
    expect(on).toMatchObject({ status: 'done', scanned: seed.messages, changed: seed.withCards, contextsChanged: seed.contextsWithCards })
  })

  it("runs the brand's own patterns", async () => {
    const { store, brandId, seed } = await seededStore()
    await store.setMaskingConfig(brandId, { patterns: [{ name: 'order', pattern: 'order number \\d+', replacement: '[order]' }] })
    await runMaskingRun({ store, clock: systemClock }, brandId, (await store.startMaskingRun(brandId, 'mr_p', 1)).runId)
    expect(await texts(store, brandId, seed.openConvId)).toContain('[order] please')
  })

  it('masks every text field, number values and value names of a stored context, as the relay does', async () => {
    const { file, store, brandId } = await seededStore()
    const card = CARDS.a[0]!
    const hostile = {
      userAgent: `UA ${card}`, language: card, timezone: `Europe/${card}`, screen: card,
      values: { seats: 3, paid: Number(card), [`c${card}`]: 'x', ok: true },
    }
    await store.recordVisit(brandId, 'u-hostile', hostile, 3_000_000)
    await runMaskingRun({ store, clock: systemClock }, brandId, (await store.startMaskingRun(brandId, 'mr_ctx', 1)).runId)
    const db = new Database(file, { readonly: true })
    try {
      const row = db.prepare<[string, string], { context: string }>('SELECT context FROM visitors WHERE brand_id = ? AND visitor_id = ?').get(brandId, 'u-hostile')
      expect(row!.context).not.toContain(card)
      expect(JSON.parse(row!.context)).toEqual({
        userAgent: 'UA [card]', language: '[card]', timezone: 'Europe/[card]', screen: '[card]',
        values: { seats: 3, paid: '[card]', ok: true },
      })
    } finally {
      db.close()
    }
  })

  it('ends with exact counts when two runners (two connections) work on the same run at once', async () => {
    const { file, store, brandId, seed } = await seededStore(300)
    const second = createSqliteStore({ file, role: 'admin' })
    opened.push({ store: second })
    const run = await store.startMaskingRun(brandId, 'mr_two', 1)
    expect((await second.startMaskingRun(brandId, 'mr_other', 1)).runId).toBe(run.runId)
    const [a, b] = await Promise.all([
      runMaskingRun({ store, clock: systemClock }, brandId, run.runId, { batchSize: 7 }),
      runMaskingRun({ store: second, clock: systemClock }, brandId, run.runId, { batchSize: 7 }),
    ])
    for (const r of [a, b]) expect(r).toMatchObject({ status: 'done' })
    expect(await store.getMaskingRun(brandId, run.runId)).toMatchObject({
      status: 'done', scanned: seed.messages, changed: seed.withCards, contextsScanned: seed.contexts, contextsChanged: seed.contextsWithCards,
    })
  })
})

describe('the end of a run, with a reader holding a snapshot of the database', () => {
  /** A second connection in a read transaction: its snapshot keeps the WAL's frames in use. */
  function openReader(file: string): Database.Database {
    const reader = new Database(file)
    reader.exec('BEGIN')
    reader.prepare('SELECT count(*) FROM message_log').get()
    return reader
  }
  const walText = (file: string) => readFileSync(`${file}-wal`).toString('latin1')

  it('says the WAL was not emptied while the reader holds it, and it still holds the original text', async () => {
    const { file, store, brandId, seed } = await seededStore()
    const reader = openReader(file)
    try {
      const run = await runMaskingRun({ store, clock: systemClock }, brandId, (await store.startMaskingRun(brandId, 'mr_busy', 1)).runId,
        { walRetry: { attempts: 3, intervalMs: 1 } })
      expect(run).toMatchObject({ status: 'done', changed: seed.withCards, walEmptied: false })
      expect(statSync(`${file}-wal`).size).toBeGreaterThan(0)
      // What the fix is about: the WAL beside a "done" run still has an original card number.
      expect(cardForms(CARDS.a).some((form) => walText(file).includes(form))).toBe(true)
    } finally {
      reader.close()
    }
  })

  it('keeps trying, and empties the WAL once the reader has ended', async () => {
    const { file, store, brandId, seed } = await seededStore()
    const reader = openReader(file)
    let attempts = 0
    // The real store; the reader ends after the second busy answer, as a backup would finish.
    const watched: Store = {
      ...store,
      truncateWal: async () => {
        const emptied = await store.truncateWal()
        if (!emptied && ++attempts === 2) reader.exec('COMMIT')
        return emptied
      },
    }
    try {
      const run = await runMaskingRun({ store: watched, clock: systemClock }, brandId, (await store.startMaskingRun(brandId, 'mr_retry', 1)).runId,
        { walRetry: { attempts: 50, intervalMs: 5 } })
      expect(attempts).toBe(2)
      expect(run).toMatchObject({ status: 'done', changed: seed.withCards, walEmptied: true })
      expect(statSync(`${file}-wal`).size).toBe(0)
    } finally {
      reader.close()
    }
  })

  it('reports nothing tried for a run that did not finish', async () => {
    const { store, brandId } = await seededStore(300)
    const stop = new AbortController()
    const run = await runMaskingRun({ store, clock: systemClock }, brandId, (await store.startMaskingRun(brandId, 'mr_stop', 1)).runId,
      { batchSize: 10, signal: stop.signal, onProgress: () => stop.abort() })
    expect(run).toMatchObject({ status: 'running', walEmptied: null })
  })
})

describe('a masking step on the store connection', () => {
  it('turns secure_delete ON for its commit and gives the connection back on FAST', async () => {
    const { dir, remove } = tempDir('parley-mask-sd-')
    const db = new Database(join(dir, 'parley.db'))
    try {
      migrate(db)
      db.pragma('secure_delete = FAST')
      db.prepare("INSERT INTO brands (brand_id, name, site_key, created_at) VALUES ('b', 'B', 's', 1)").run()
      const runs = createMaskingRuns(db)
      await runs.startMaskingRun('b', 'mr_sd', 1)
      const r = await runs.commitMaskingStep('b', 'mr_sd', { phase: 'messages', from: 0, to: 0, next: 'conversations', scanned: 0, rewrites: [], at: 2 })
      expect(r.ok).toBe(true)
      expect(db.pragma('secure_delete', { simple: true })).toBe(2)
    } finally {
      db.close()
      remove()
    }
  })
})
