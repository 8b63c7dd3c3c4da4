import { readFileSync } from 'node:fs'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Participant, Survey } from '@parley/sdk/contract'
import type { Store } from '../../../../../server/src/store/store.js'
import { SQLITE_FACTORIES } from '../../../../helpers/stores.js'
import { createStoreBrand } from '../../../../helpers/brand.js'
import { until } from '../../../../helpers/until.js'

// What erasure leaves in the SQLite file (issue 19): once a visitor's conversations and record are
// erased, the free pages scrubbed and the WAL emptied, neither the database file nor the WAL holds
// a byte of the words they wrote anywhere (messages, search index, notes, file names, answers,
// contexts, contact, customer), while another visitor's words are all still there. The search
// index finds nothing.

const ERASED = 'zebraquartz123'
const KEPT = 'lynxbasalt456'
const T = Date.UTC(2026, 4, 3, 9)
const survey: Survey = { id: 'after', kind: 'post', version: 1, fields: [{ id: 'why', type: 'text', label: 'Why?' }] }

function fileHolds(file: string, word: string): boolean {
  const needle = Buffer.from(word)
  return [file, `${file}-wal`].some((f) => {
    try { return readFileSync(f).includes(needle) } catch { return false }
  })
}

describe.each(SQLITE_FACTORIES)('erasure in the file of the $name store', (factory) => {
  let store: Store
  let file: string
  let dispose: () => Promise<void>
  beforeAll(async () => { ({ store, file, dispose } = await factory.create()) })
  afterAll(async () => { await dispose() })

  /**
   * `n` closed chats and an offline entry of `v`, everything in them carrying `word` (ids, which
   * stubs keep, carry `tag` instead); their conversation ids.
   */
  async function fill(b: string, v: Participant, ana: Participant, word: string, tag: string, n: number): Promise<string[]> {
    await store.recordVisit(b, v.id, { url: `https://shop.example/${word}`, values: { plan: word } }, T)
    await store.linkCustomer({ brandId: b, customerId: `cust-${tag}`, visitorId: v.id, newVisitorId: v.id, convIds: [], name: word, email: `${word}@mail.example`, at: T })
    const convIds: string[] = []
    for (let i = 0; i < n; i++) {
      const convId = `c-${tag}-${i}`
      const attachmentId = `att-${tag}-${i}`
      await store.createAttachment({
        brandId: b, attachmentId, uploader: `visitor:${v.id}`, name: `${word}.png`, type: 'image/png', size: 1, width: null, height: null,
        blobKey: `blob-${tag}-${i}`, thumbKey: null, createdAt: T, convId: null, seq: null,
      })
      const at = T + i * 1000
      await store.appendMessages([{ brandId: b, convId, clientMsgId: `m-${tag}-${i}`, from: v, text: `the ${word} number ${i}`, at, context: { url: `https://shop.example/${word}` }, attachmentIds: [attachmentId] }])
      await store.assignConversation(b, convId, ana.id, at, { onlyIfWaiting: true })
      await store.appendMessages([{ brandId: b, convId, clientMsgId: `a-${tag}-${i}`, from: ana, text: `about your ${word}`, at: at + 1, context: null }])
      await store.addNote({ brandId: b, convId, noteId: `n-${tag}-${i}`, clientNoteId: `cn-${tag}-${i}`, author: { kind: 'agent', id: ana.id }, text: `${word} note`, at: at + 2 })
      await store.closeConversation(b, convId, v, at + 3)
      await store.addSurveyResponse({ brandId: b, convId, visitorId: v.id, clientMsgId: `s-${tag}-${i}`, response: { surveyId: 'after', version: 1, kind: 'post', answers: { why: word }, labels: { why: word }, at: at + 4 } })
      convIds.push(convId)
    }
    const offline = `c-${tag}-offline`
    await store.appendMessages([{ brandId: b, convId: offline, clientMsgId: `o-${tag}`, from: v, text: `call me about ${word}`, at: T, context: null, contact: { name: word, email: `${word}@mail.example` } }])
    return [...convIds, offline]
  }

  it("leaves no byte of an erased visitor's words in the file or the WAL, and every byte of another's", async () => {
    const b = await createStoreBrand(store)
    const ana: Participant = { kind: 'agent', id: 'ana', name: 'Ana' }
    await store.createAgent({ brandId: b, agentId: ana.id, email: 'ana@agents.example', name: 'Ana', passwordHash: 'x', createdAt: 1 })
    await store.setSurveysConfig(b, { surveys: [survey], post: 'after' }, [survey], T)
    const [v, w]: [Participant, Participant] = [{ kind: 'visitor', id: 'v-erased' }, { kind: 'visitor', id: 'v-kept' }]
    // Enough closed chats that the search index merges its segments (and frees pages) before the erasure.
    const erased = await fill(b, v, ana, ERASED, 'e', 12)
    await fill(b, w, ana, KEPT, 'k', 12)
    // A long message masked as it was sent: its first text filled pages that the rewrite freed, which
    // the store (secure_delete FAST) leaves on the freelist as they were.
    const long = 'c-e-long'
    await store.appendMessages([{ brandId: b, convId: long, clientMsgId: 'l-e', from: v, text: `${'lorem ipsum '.repeat(1500)}${ERASED} ${'dolor '.repeat(1500)}`, at: T, context: null }])
    expect(await store.redactMessages(b, [{ convId: long, seq: 1, text: '[masked]' }])).toHaveLength(1)
    erased.push(long)
    await until(() => store.truncateWal(), 'the WAL emptied')
    expect(fileHolds(file, ERASED)).toBe(true)

    const result = await store.eraseConversations(b, erased, T + 100_000)
    expect(result.counts).toMatchObject({ conversations: 14, messages: 26, searchEntries: 24, notes: 12, attachments: 12, surveyResponses: 12 })
    expect(await store.eraseVisitor(b, v.id, T + 100_000)).toEqual({ visitors: 1, customers: 1, consentEvents: 0, contexts: 1 })
    await until(() => store.truncateWal(), 'the WAL emptied')
    // The masked message's first text is still on the freelist: the erasure leaves the scrub to its caller, once.
    expect(fileHolds(file, ERASED)).toBe(true)
    expect(await store.scrubFreePages()).toBeGreaterThan(0)
    await until(() => store.truncateWal(), 'the WAL emptied')

    expect(fileHolds(file, ERASED)).toBe(false)
    expect(fileHolds(file, KEPT)).toBe(true)
    const reader = new Database(file, { readonly: true })
    try {
      const matches = reader.prepare<[string], { n: number }>('SELECT count(*) AS n FROM transcript_search WHERE transcript_search MATCH ?')
      expect(matches.get(ERASED)?.n).toBe(0)
      expect(matches.get(KEPT)?.n).toBe(24)
    } finally {
      reader.close()
    }
  })
})
