import { appendFileSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { appendErasure, erasureLedgerPath, readErasures, replayErasures, type ConsentDenialEntry, type ErasureLedgerEntry } from '../../../../server/src/data-rights/erasure-ledger.js'
import type { ConversationErasure, VisitorErasure } from '../../../../server/src/store/store.js'
import { tempDir } from '../../../helpers/temp-dir.js'
import { createSqliteStore } from '../../../../server/src/store/sqlite/sqlite-store.js'
import { createStoreBrand } from '../../../helpers/brand.js'

// The erasure ledger on a real file: what a restore replays so erased data stays erased.

const entry = (n: number, convIds: string[] = [`c_${n}`]): ErasureLedgerEntry => ({
  v: 1, brandId: 'b_1', requestId: `er_${n}`, visitorIds: [`v_${n}`], convIds, at: 1_700_000_000_000 + n,
})

describe('erasure ledger', () => {
  let dir: ReturnType<typeof tempDir>
  let path: string
  beforeEach(() => { dir = tempDir('parley-ledger-'); path = join(dir.dir, 'erasure-ledger.jsonl') })
  afterEach(() => dir.remove())

  it('reads back every appended entry in order, one JSON line each', async () => {
    await Promise.all([appendErasure(path, entry(1)), appendErasure(path, entry(2)), appendErasure(path, entry(3))])
    expect(await readErasures(path)).toEqual([entry(1), entry(2), entry(3)])
    expect(readFileSync(path, 'utf8').split('\n')).toHaveLength(4)
    expect(statSync(path).mode & 0o777).toBe(0o600)
  })

  it('reads a missing ledger as no erasures', async () => {
    expect(await readErasures(path)).toEqual([])
  })

  it('skips a torn last line, and an append after it stays whole', async () => {
    await appendErasure(path, entry(1))
    appendFileSync(path, JSON.stringify(entry(2)).slice(0, 30))
    expect(await readErasures(path)).toEqual([entry(1)])
    await appendErasure(path, entry(3))
    expect(await readErasures(path)).toEqual([entry(1), entry(3)])
  })

  it('skips lines that are not entries of version 1', async () => {
    appendFileSync(path, `${JSON.stringify({ ...entry(1), v: 2 })}\n${JSON.stringify({ ...entry(2), convIds: [3] })}\n`)
    await appendErasure(path, entry(4))
    expect(await readErasures(path)).toEqual([entry(4)])
  })

  it('reads consent withdrawals beside erasures, old lines (no kind) as erasures, and skips kinds it does not know', async () => {
    const denial: ConsentDenialEntry = { v: 1, kind: 'consent-denied', brandId: 'b_1', visitorIds: ['v_9'], at: 5 }
    appendFileSync(path, `${JSON.stringify(entry(1))}\n${JSON.stringify({ ...entry(2), kind: 'erasure' })}\n${JSON.stringify({ ...denial, kind: 'consent-granted' })}\n`)
    await appendErasure(path, denial)
    expect(await readErasures(path)).toEqual([entry(1), entry(2), denial])
    expect(readFileSync(path, 'utf8')).not.toContain('@')
  })

  it('withdraws a consent again on a real store: the behavioural values go; a second replay changes nothing', async () => {
    const store = createSqliteStore({ file: join(dir.dir, 'parley.db') })
    try {
      const brandId = await createStoreBrand(store)
      const context = { url: 'https://shop.example/', tracking: 'shared' as const, pagesViewed: 7, timeOnSiteSec: 300, visitCount: 4, returning: true }
      await store.recordVisit(brandId, 'v_1', context, 1000)
      await store.appendMessages([{ brandId, convId: 'c_1', clientMsgId: 'c_1-1', from: { kind: 'visitor', id: 'v_1' }, text: 'hi', at: 1000, context }])
      expect((await store.getConversation(brandId, 'c_1'))!.context).toMatchObject({ pagesViewed: 7 })
      const denial: ConsentDenialEntry = { v: 1, kind: 'consent-denied', brandId, visitorIds: ['v_1', 'v_unknown'], at: 2000 }
      expect(await replayErasures(store, [denial])).toEqual({ entries: 1, conversations: 0, visitors: 0, consents: 1 })
      expect((await store.getVisitor(brandId, 'v_1'))!.consent).toBe('denied')
      const conv = await store.getConversation(brandId, 'c_1')
      expect(conv!.context).toMatchObject({ url: context.url })
      for (const field of ['pagesViewed', 'timeOnSiteSec', 'visitCount', 'returning']) expect(conv!.context).not.toHaveProperty(field)
      expect(await replayErasures(store, [denial])).toEqual({ entries: 1, conversations: 0, visitors: 0, consents: 0 })
      expect(await store.listConsentEvents(brandId, ['v_1'])).toHaveLength(1)
    } finally {
      await store.close()
    }
  })

  it('takes PARLEY_ERASURE_LEDGER over the data directory', () => {
    expect(erasureLedgerPath('/data', {})).toBe(join('/data', 'erasure-ledger.jsonl'))
    expect(erasureLedgerPath('/data', { PARLEY_ERASURE_LEDGER: '/safe/ledger.jsonl' })).toBe('/safe/ledger.jsonl')
  })

  it('erases again, on a real store, what an entry names and nothing else; a second replay changes nothing', async () => {
    const store = createSqliteStore({ file: join(dir.dir, 'parley.db') })
    try {
      const brandId = await createStoreBrand(store)
      const say = (convId: string, visitorId: string, text: string) => store.appendMessages([{ brandId, convId, clientMsgId: `${convId}-1`, from: { kind: 'visitor', id: visitorId }, text, at: 1000, context: null }])
      await say('c_gone', 'v_gone', 'erase me')
      await say('c_kept', 'v_kept', 'keep me')
      const e = { v: 1 as const, brandId, requestId: 'er_1', visitorIds: ['v_gone'], convIds: ['c_gone'], at: 2000 }
      expect(await replayErasures(store, [e])).toMatchObject({ entries: 1, conversations: 1 })
      expect(await store.readMessages(brandId, 'c_gone', 0, 10)).toEqual([])
      expect((await store.readMessages(brandId, 'c_kept', 0, 10)).map((m) => m.text)).toEqual(['keep me'])
      expect(await replayErasures(store, [e])).toEqual({ entries: 1, conversations: 0, visitors: 0, consents: 0 })
    } finally {
      await store.close()
    }
  })

  it('replays conversations in batches and each visitor, counting only what was erased now, and scrubs once', async () => {
    const erased = new Set<string>()
    const calls: string[][] = []
    let scrubs = 0
    const store = {
      getVisitor: () => Promise.reject(new Error('no consent entry here')),
      recordConsent: () => Promise.reject(new Error('no consent entry here')),
      async eraseConversations(_b: string, ids: readonly string[]): Promise<ConversationErasure> {
        calls.push([...ids])
        const now = ids.filter((id) => !erased.has(id))
        now.forEach((id) => erased.add(id))
        return { erased: now, held: [], blobKeys: [], counts: { conversations: now.length, messages: 0, surveyResponses: 0, contexts: 0, notes: 0, attachments: 0, searchEntries: 0 } }
      },
      async eraseVisitor(_b: string, id: string): Promise<VisitorErasure> {
        const now = !erased.has(id)
        erased.add(id)
        return { visitors: now ? 1 : 0, customers: 0, consentEvents: 0, contexts: 0 }
      },
      async scrubFreePages(): Promise<number> { scrubs++; return 0 },
    }
    const many = Array.from({ length: 120 }, (_, i) => `c_${i}`)
    expect(await replayErasures(store, [entry(1, many)])).toEqual({ entries: 1, conversations: 120, visitors: 1, consents: 0 })
    expect(calls.map((c) => c.length)).toEqual([50, 50, 20])
    // The free pages once for the whole replay, not per batch; not at all when nothing was erased.
    expect(scrubs).toBe(1)
    expect(await replayErasures(store, [entry(1, many)])).toEqual({ entries: 1, conversations: 0, visitors: 0, consents: 0 })
    expect(scrubs).toBe(1)
  })
})
