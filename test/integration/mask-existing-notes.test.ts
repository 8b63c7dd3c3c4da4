import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MaskingRun } from '@parley/sdk/contract'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestBrand, type TestBrand } from '../helpers/brand.js'
import { callRest } from '../helpers/rest.js'
import { until } from '../helpers/until.js'
import { CARDS, seedCards, spaced } from '../helpers/masking-seed.js'

// Masking existing data reaches the texts agents and visitors leave beside messages: internal notes
// (a transfer's note too) and the names of uploaded files, stored before the brand's masking covered
// them, are rewritten by a run like messages are; another brand's stay as they were.

async function runToDone(relay: TestRelay, brand: TestBrand): Promise<MaskingRun> {
  const started = await callRest(relay, { method: 'POST', url: '/v1/masking/runs', token: brand.apiKey })
  expect(started.status).toBe(202)
  const runId = (started.body as MaskingRun).runId
  return until(async () => {
    const res = await callRest(relay, { url: `/v1/masking/runs/${runId}`, token: brand.apiKey })
    return (res.body as MaskingRun).status === 'done' ? (res.body as MaskingRun) : null
  }, `masking run ${runId} done`)
}

/** Stores, as the relay did before masking covered them, a note, a transfer note and two files' names holding `card`. */
async function seedNotesAndFiles(relay: TestRelay, brandId: string, convId: string, card: string, prefix: string): Promise<void> {
  const { store } = relay.deps
  const author = { kind: 'agent' as const, id: `${prefix}-agent`, name: 'Ann' }
  for (const [i, text, transfer] of [[0, `card on file: ${spaced(card)}`, false], [1, `handing on, card ${card}`, true], [2, 'no number here', false]] as const) {
    const r = await store.addNote({ brandId, convId, noteId: `${prefix}-n${i}`, clientNoteId: `${prefix}-cn${i}`, author, text, at: 3_000_000 + i, transfer })
    if (!r.ok) throw new Error('seeding a note failed')
  }
  for (const [i, name, sent] of [[0, `receipt ${card}.pdf`, true], [1, `scan-${card}.png`, false], [2, 'photo.png', true]] as const) {
    await store.createAttachment({
      brandId, attachmentId: `${prefix}-f${i}`, uploader: `visitor:${prefix}-va`, name, type: 'application/pdf', size: 10,
      width: null, height: null, blobKey: `${prefix}-blob${i}`, thumbKey: null, createdAt: 3_000_000 + i, convId: sent ? convId : null, seq: sent ? 1 : null,
    })
  }
}

async function storedNotesAndNames(relay: TestRelay, brandId: string, convId: string, prefix: string): Promise<{ notes: string[]; names: string[] }> {
  const notes = (await relay.deps.store.listNotes(brandId, convId)).map((n) => n.text)
  const names: string[] = []
  for (const i of [0, 1, 2]) names.push((await relay.deps.store.getAttachment(brandId, `${prefix}-f${i}`))!.name)
  return { notes, names }
}

describe('a masking run over notes and file names stored before masking covered them', () => {
  let relay: TestRelay
  let a: TestBrand
  let b: TestBrand
  let run: MaskingRun
  let bBefore: { notes: string[]; names: string[] }

  beforeAll(async () => {
    relay = await startRelay()
    a = await createTestBrand(relay)
    b = await createTestBrand(relay)
    const seededA = await seedCards(relay.deps.store, a.brandId, CARDS.a, 'a')
    const seededB = await seedCards(relay.deps.store, b.brandId, CARDS.b, 'b')
    await seedNotesAndFiles(relay, a.brandId, seededA.openConvId, CARDS.a[0], 'a')
    await seedNotesAndFiles(relay, b.brandId, seededB.openConvId, CARDS.b[0], 'b')
    bBefore = await storedNotesAndNames(relay, b.brandId, seededB.openConvId, 'b')
    run = await runToDone(relay, a)
  })
  afterAll(async () => { await relay.close() })

  it('masks the card in a note and in a transfer note, and keeps a note without one', async () => {
    const { notes } = await storedNotesAndNames(relay, a.brandId, 'a-open', 'a')
    expect(notes).toEqual(['card on file: [card]', 'handing on, card [card]', 'no number here'])
  })

  it('masks the card in the names of a sent and an unsent file, and keeps a name without one', async () => {
    const { names } = await storedNotesAndNames(relay, a.brandId, 'a-open', 'a')
    expect(names).toEqual(['receipt [card].pdf', 'scan-[card].png', 'photo.png'])
  })

  it('finishes the run after the notes and file names', () => {
    expect(run.status).toBe('done')
  })

  it('leaves another brand\'s notes and file names as they were', async () => {
    const now = await storedNotesAndNames(relay, b.brandId, 'b-open', 'b')
    expect(now).toEqual(bBefore)
    expect(now.notes[0]).toContain(spaced(CARDS.b[0]))
    expect(now.names[0]).toContain(CARDS.b[0])
  })
})
