import { spawn } from 'node:child_process'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import type { MaskingRun } from '@parley/sdk/contract'
import { CLI, RelayProcess, createBrandWithCli, killRelayProcesses, runCli, type CliBrand } from '../helpers/relay-process.js'
import { CARDS, cardForms, databaseBytes, seedCards, spaced, type SeededBrand } from '../helpers/masking-seed.js'
import { TestClient } from '../helpers/ws-client.js'
import { databaseFile } from '../../server/src/data-dir.js'
import { createSqliteStore } from '../../server/src/store/sqlite/sqlite-store.js'
import { tempDir } from '../helpers/temp-dir.js'
import { until } from '../helpers/until.js'

// A masking run of existing data killed with SIGKILL mid-run, as the `parley mask-existing` process
// and as the relay running it for POST /v1/masking/runs, then started again: it resumes from its last
// committed batch, ends with exact counts (nothing counted twice, nothing skipped) and leaves no card
// number in the database file. And the command beside a running relay that takes messages.

/** Plain messages beside the seeded ones, so that a run in batches of 10 takes many batches. */
const PLAIN = 600
const SLOW = ['--batch-size', '10', '--pause-ms', '10']

interface RunRow { run_id: string; status: string; phase: string; scanned: number; changed: number }

function runRows(file: string, brandId: string): RunRow[] {
  const db = new Database(file, { readonly: true })
  try {
    return db.prepare<[string], RunRow>('SELECT run_id, status, phase, scanned, changed FROM masking_runs WHERE brand_id = ?').all(brandId)
  } finally {
    db.close()
  }
}

async function seeded(name: string): Promise<{ dir: string; remove: () => void; file: string; brand: CliBrand; seed: SeededBrand }> {
  const { dir, remove } = tempDir(`parley-mask-${name}-`)
  const brand = await createBrandWithCli(dir, name, ['http://localhost'])
  const file = databaseFile(dir)
  const store = createSqliteStore({ file })
  const seed = await seedCards(store, brand.brandId, CARDS.a, name, PLAIN)
  await store.close()
  return { dir, remove, file, brand, seed }
}

function expectClean(file: string): void {
  const bytes = databaseBytes(file)
  for (const form of cardForms(CARDS.a)) expect(bytes.includes(form), form).toBe(false)
}

afterAll(async () => { await killRelayProcesses() })

describe('parley mask-existing killed with SIGKILL mid-run and started again', () => {
  it('resumes the same run, ends with exact counts, and with --vacuum leaves no card number in the file', async () => {
    const { dir, remove, file, brand, seed } = await seeded('cli')
    // Databases written before masking keep copies of deleted rows in free pages (here: a dropped
    // table); --vacuum at the end takes them out.
    const raw = new Database(file)
    raw.pragma('secure_delete = OFF')
    raw.exec('CREATE TABLE residue AS SELECT text FROM message_log; DROP TABLE residue')
    raw.close()
    expect(databaseBytes(file).includes(CARDS.a[2])).toBe(true)
    try {
      const child = spawn(process.execPath, [CLI, 'mask-existing', '--data-dir', dir, '--brand', brand.brandId, ...SLOW, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] })
      let stderr = ''
      child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d })
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)))
      await until(() => /messages: [1-9]\d* scanned/.test(stderr), 'a progress line')
      child.kill('SIGKILL')
      expect(await exited).toBe('SIGKILL')

      const [killed] = runRows(file, brand.brandId)
      expect(killed).toMatchObject({ status: 'running', phase: 'messages' })
      expect(killed!.scanned).toBeGreaterThan(0)
      expect(killed!.scanned).toBeLessThan(seed.messages)

      const summary = await runCli<Record<string, unknown>>(['mask-existing', '--data-dir', dir, '--brand', brand.brandId, '--vacuum', '--json'])
      expect(summary).toMatchObject({
        vacuumed: true, walEmptied: true,
        runId: killed!.run_id, status: 'done', scanned: seed.messages, changed: seed.withCards,
        contextsScanned: seed.contexts, contextsChanged: seed.contextsWithCards,
      })
      expect(runRows(file, brand.brandId)).toHaveLength(1)
      expectClean(file)

      // Run again: a new run over masked data changes nothing.
      const again = await runCli<Record<string, unknown>>(['mask-existing', '--data-dir', dir, '--brand', brand.brandId, '--json'])
      expect(again).toMatchObject({ status: 'done', scanned: seed.messages, changed: 0, contextsChanged: 0 })
      expect(again.runId).not.toBe(killed!.run_id)
    } finally {
      remove()
    }
  })
})

describe('a relay killed with SIGKILL while it runs POST /v1/masking/runs, and restarted', () => {
  it('resumes the run on the next POST and ends with exact counts and no card number in the file', async () => {
    const { dir, remove, file, brand, seed } = await seeded('relay')
    const env = { PARLEY_MASKING_BATCH_SIZE: '10', PARLEY_MASKING_PAUSE_MS: '10' }
    try {
      let relay = await RelayProcess.start({ dataDir: dir, env })
      const call = async (method: 'GET' | 'POST', path: string): Promise<MaskingRun> => {
        const res = await fetch(`${relay.url}${path}`, { method, headers: { authorization: `Bearer ${brand.apiKey}` } })
        expect(res.status).toBe(method === 'POST' ? 202 : 200)
        return (await res.json()) as MaskingRun
      }
      const started = await call('POST', '/v1/masking/runs')
      await until(async () => (await call('GET', `/v1/masking/runs/${started.runId}`)).scanned > 0, 'the run under way')
      await relay.kill('SIGKILL')

      const [killed] = runRows(file, brand.brandId)
      expect(killed).toMatchObject({ run_id: started.runId, status: 'running' })
      expect(killed!.scanned).toBeLessThan(seed.messages)

      relay = await RelayProcess.start({ dataDir: dir, env })
      const resumed = await call('POST', '/v1/masking/runs')
      expect(resumed.runId).toBe(started.runId)
      const done = await until(async () => {
        const r = await call('GET', `/v1/masking/runs/${started.runId}`)
        return r.status === 'done' ? r : null
      }, 'the resumed run done', 30_000)
      expect(done).toMatchObject({ scanned: seed.messages, changed: seed.withCards })
      await relay.kill('SIGTERM')
      expectClean(file)
    } finally {
      remove()
    }
  })
})

describe('parley mask-existing beside a running relay that takes messages', () => {
  it('keeps every message sent meanwhile, and the relay serves the masked text at once', async () => {
    const { dir, remove, file, brand, seed } = await seeded('beside')
    try {
      const relay = await RelayProcess.start({ dataDir: dir, args: ['--messages-per-second', '1000', '--visitor-messages-per-second', '1000', '--frames-per-second', '1000'] })
      const v = await TestClient.visitor(relay.wsUrl, brand.siteKey, { origin: 'http://localhost' })
      const child = spawn(process.execPath, [CLI, 'mask-existing', '--data-dir', dir, '--brand', brand.brandId, ...SLOW, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] })
      let stdout = ''
      let stderr = ''
      child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d })
      child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d })
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
      await until(() => /messages: [1-9]\d* scanned/.test(stderr), 'a progress line')

      const sent = Array.from({ length: 40 }, (_, i) => i % 8 === 0 ? `live ${i}: ${spaced(CARDS.a[0])}` : `live ${i}`)
      for (const [i, text] of sent.entries()) {
        v.client.send({ type: 'message.send', convId: 'live', clientMsgId: `live-${i}`, text })
        await v.client.next('message.ack', (f) => f.clientMsgId === `live-${i}`)
      }
      // What this test is about: the messages went in while the command was rewriting the file.
      expect(child.exitCode).toBeNull()
      expect(await exited).toBe(0)
      const summary = JSON.parse(stdout.trim()) as Record<string, number>
      // The relay's connections read and checkpoint beside it: the command's retries still empty the WAL.
      expect(summary).toMatchObject({ status: 'done', changed: seed.withCards, contextsChanged: seed.contextsWithCards, walEmptied: true })

      const read = async (convId: string) => {
        const res = await fetch(`${relay.url}/v1/conversations/${convId}/messages?limit=1000`, { headers: { authorization: `Bearer ${brand.apiKey}` } })
        expect(res.status).toBe(200)
        return ((await res.json()) as { messages: { seq: number; text: string }[] }).messages
      }
      const live = await read('live')
      expect(live.map((m) => m.text)).toEqual(sent.map((t) => t.replace(spaced(CARDS.a[0]), '[card]')))
      expect(live.map((m) => m.seq)).toEqual(sent.map((_, i) => i + 1))
      const old = (await read(seed.openConvId)).map((m) => m.text)
      expect(old).toContain('hi, my card is [card] thanks')
      for (const text of old) for (const form of cardForms(CARDS.a)) expect(text).not.toContain(form)
      v.client.close()
      await relay.kill('SIGTERM')
      expectClean(file)
    } finally {
      remove()
    }
  })
})
