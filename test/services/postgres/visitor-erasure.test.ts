import { randomBytes } from 'node:crypto'
import { expect, it } from 'vitest'
import type { Participant, Survey } from '@parley/sdk/contract'
import { adminQuery, describeWithPostgres, usePostgresStores } from '../../helpers/postgres.js'
import { createStoreBrand } from '../../helpers/brand.js'

// What an erasure leaves in PostgreSQL itself, read past the Store as the superuser: no row of the
// visitor's conversations (messages, notes, attachments, survey answers, contexts, contacts, webhook
// bodies) holds an erased word, and the `search` tsvector of the rows that remain does not match it,
// while another visitor's message with the same word is untouched and found; once the store is
// vacuumed (VACUUM FULL as the owner) no relation file of the database holds the word either. And what consent
// denial leaves: no behavioural value in any stored context, written before or after it.

const id = (prefix: string) => `${prefix}${randomBytes(6).toString('hex')}`
const T = Date.UTC(2026, 2, 1, 12)
const WORD = 'zanzibarquokka'

const pre: Survey = {
  id: 'before', kind: 'pre', version: 1, fields: [
    { id: 'name', type: 'text', label: 'Name', purpose: 'name' },
    { id: 'mail', type: 'email', label: 'E-mail', purpose: 'email' },
    { id: 'topic', type: 'text', label: 'Topic' },
  ],
}
const post: Survey = { id: 'after', kind: 'post', version: 1, fields: [{ id: 'happy', type: 'csat', label: 'Happy?' }] }

describeWithPostgres('PostgreSQL visitor erasure and consent, as stored', () => {
  const suite = usePostgresStores()
  const sql = async <R extends Record<string, unknown>>(text: string, params: unknown[]) => adminQuery<R>(text, params, suite.db.adminUrl)

  /** A brand where visitor `v` chatted (with answers, a note and a file), all holding `word`, and visitor `w` wrote it too. */
  async function seed(word = WORD) {
    const store = suite.store
    const brandId = await createStoreBrand(store)
    await store.setSurveysConfig(brandId, { surveys: [pre, post], pre: 'before', post: 'after' }, [pre, post], T)
    const v: Participant = { kind: 'visitor', id: id('v_') }
    const w: Participant = { kind: 'visitor', id: id('v_') }
    const ana = { kind: 'agent' as const, id: id('a_'), name: 'Ana' }
    await store.createAgent({ brandId, agentId: ana.id, email: `${ana.id}@agents.example`, name: 'Ana', passwordHash: 'x', createdAt: 1 })
    const chat = id('c_')
    await store.openConversation({
      brandId, convId: chat, visitorId: v.id, clientMsgId: id('m'), at: T, context: { url: `https://shop.example/${word}`, pagesViewed: 3 },
      routing: {}, contact: { name: `Vera ${word}`, email: 'Vera@Example.org' },
      response: { surveyId: 'before', version: 1, kind: 'pre', answers: { name: `Vera ${word}`, mail: 'Vera@Example.org', topic: word }, labels: { topic: 'Topic' }, language: 'en', at: T },
    })
    const file = id('f_')
    await store.createAttachment({
      brandId, attachmentId: file, uploader: `visitor:${v.id}`, name: `${word}.png`, type: 'image/png', size: 10, width: 4, height: 4,
      blobKey: id('blob_'), thumbKey: id('thumb_'), createdAt: T, convId: null, seq: null,
    })
    const say = async (convId: string, from: Participant, text: string, at: number, attachmentIds?: string[]) => {
      const [r] = await store.appendMessages([{ brandId, convId, clientMsgId: id('m'), from, text, at, context: null, ...(attachmentIds ? { attachmentIds } : {}) }])
      expect(r!.ok).toBe(true)
    }
    await say(chat, v, `my ${word} order`, T + 1000, [file])
    await store.assignConversation(brandId, chat, ana.id, T + 2000, { onlyIfWaiting: true })
    await say(chat, ana, `${word} shipped`, T + 3000)
    expect((await store.addNote({ brandId, convId: chat, noteId: id('n_'), clientNoteId: id('cn_'), author: ana, text: `${word} vip`, at: T + 4000 })).ok).toBe(true)
    await store.closeConversation(brandId, chat, v, T + 5000)
    await store.addSurveyResponse({ brandId, convId: chat, visitorId: v.id, clientMsgId: id('s'), response: { surveyId: 'after', version: 1, kind: 'post', answers: { happy: 4 }, at: T + 6000 } })
    const other = id('c_')
    await say(other, w, `another ${word}`, T + 7000)
    // The webhook bodies about the chat hold its words too (two, so ANALYZE has distinct values to sample).
    const endpointId = id('whe_')
    expect(await store.createWebhookEndpoint({ brandId, endpointId, url: 'https://hooks.example/in', events: ['message.created'], description: '',
      enabled: true, secrets: [{ secret: 'whsec_AAAA', expiresAt: null }], createdAt: T }, 20)).toBe(true)
    await store.enqueueWebhookDeliveries(['my', 'shipped'].map((what, i) => ({
      brandId, deliveryId: id('whd_'), endpointId, eventId: id('evt_'), type: 'message.created' as const, convId: chat,
      payload: JSON.stringify({ type: 'message.created', data: { convId: chat, text: `${what} ${word}` } }), status: 'pending' as const, attempts: 0,
      nextAttemptAt: 8e12 + i, lastStatus: null, lastError: null, createdAt: T + i, deliveredAt: null,
    })))
    return { brandId, v, w, chat, other }
  }

  /** The relations of the database (every schema) whose files on disk hold `word`, once dirty pages are written. */
  async function filesHolding(word: string): Promise<string[]> {
    await sql('CHECKPOINT', [])
    const rows = await sql<{ name: string }>(`SELECT n.nspname || '.' || c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'i', 't', 'm') AND pg_relation_filepath(c.oid) IS NOT NULL
        AND position(convert_to($1, 'UTF8') IN pg_read_binary_file(pg_relation_filepath(c.oid), 0, pg_relation_size(c.oid), true)) > 0
      ORDER BY 1`, [word])
    return rows.map((r) => r.name)
  }

  /** Rows of the brand's tables (as their text) that hold `word`, by table. */
  async function holding(brandId: string, word: string): Promise<Record<string, number>> {
    const like = `%${word}%`
    const [row] = await sql<Record<string, number>>(`SELECT
      (SELECT count(*)::int FROM messages WHERE brand_id = $1 AND (text ILIKE $2 OR sender_name ILIKE $2)) AS messages,
      (SELECT count(*)::int FROM conversation_notes WHERE brand_id = $1 AND text ILIKE $2) AS notes,
      (SELECT count(*)::int FROM attachments WHERE brand_id = $1 AND name ILIKE $2) AS attachments,
      (SELECT count(*)::int FROM survey_responses WHERE brand_id = $1 AND (answers::text ILIKE $2 OR labels::text ILIKE $2)) AS survey_responses,
      (SELECT count(*)::int FROM conversations WHERE brand_id = $1 AND (context::text ILIKE $2 OR contact::text ILIKE $2)) AS conversations,
      (SELECT count(*)::int FROM webhook_deliveries WHERE brand_id = $1 AND payload ILIKE $2) AS webhook_deliveries`, [brandId, like])
    return row!
  }

  const searchHits = async (brandId: string, word: string) =>
    (await sql<{ conv_id: string }>('SELECT DISTINCT conv_id FROM messages WHERE brand_id = $1 AND search @@ to_tsquery(\'simple\', $2)', [brandId, word])).map((r) => r.conv_id)

  it("leaves no row of the erased conversation holding its words, nor a search entry matching them, and another visitor's whole", async () => {
    const { brandId, chat, other } = await seed()
    expect(await holding(brandId, WORD)).toEqual({ messages: 3, notes: 1, attachments: 1, survey_responses: 1, conversations: 1, webhook_deliveries: 2 })
    expect((await searchHits(brandId, WORD)).sort()).toEqual([chat, other].sort())
    const before = await suite.store.readReport(brandId, { from: '2026-03-01', to: '2026-03-01' })

    const erasure = await suite.store.eraseConversations(brandId, [chat], T + 10_000)

    expect(erasure).toMatchObject({ erased: [chat], held: [], counts: { conversations: 1, messages: 2, notes: 1, attachments: 1, surveyResponses: 2, contexts: 1, searchEntries: 2 } })
    expect(erasure.blobKeys).toHaveLength(2)
    // Only the other visitor's message still holds the word, and only its conversation is found by it.
    expect(await holding(brandId, WORD)).toEqual({ messages: 1, notes: 0, attachments: 0, survey_responses: 0, conversations: 0, webhook_deliveries: 0 })
    expect(await searchHits(brandId, WORD)).toEqual([other])
    expect((await suite.store.listConversations(brandId, { q: WORD })).conversations.map((c) => c.convId)).toEqual([other])
    expect(await suite.store.findVisitorIds(brandId, { email: 'vera@example.org' })).toEqual([])
    // The stub keeps the header and the scores: the report adds up as before.
    const [stub] = await sql<{ status: string; erased_at: number; context: unknown; contact: unknown; assigned_agent: string | null }>(
      'SELECT status, erased_at::float8 AS erased_at, context, contact, assigned_agent FROM conversations WHERE brand_id = $1 AND conv_id = $2', [brandId, chat])
    expect(stub).toMatchObject({ status: 'closed', erased_at: T + 10_000, context: null, contact: null })
    expect(stub!.assigned_agent).not.toBeNull()
    const answers = await sql<{ answers: unknown; consents: unknown; labels: unknown; language: unknown; csat: number | null }>(
      'SELECT answers, consents, labels, language, csat FROM survey_responses WHERE brand_id = $1 AND conv_id = $2 ORDER BY survey_id', [brandId, chat])
    expect(answers).toEqual([{ answers: {}, consents: null, labels: null, language: null, csat: 4 }, { answers: {}, consents: null, labels: null, language: null, csat: null }])
    expect((await suite.store.readReport(brandId, { from: '2026-03-01', to: '2026-03-01' })).total).toEqual(before.total)
  })

  it("leaves no erased word in any table's or index's file once the store is vacuumed", async () => {
    const word = `erasable${randomBytes(4).toString('hex')}`
    const { brandId, chat, other } = await seed(word)
    // ANALYZE (autovacuum runs it too) would copy sampled values into pg_statistic, out of an
    // erasure's reach, but for the columns migrations 6 and 7 gave a statistics target of 0.
    await sql('ANALYZE', [])
    await suite.store.eraseConversations(brandId, [chat, other], T + 10_000)
    expect(await holding(brandId, word)).toEqual({ messages: 0, notes: 0, attachments: 0, survey_responses: 0, conversations: 0, webhook_deliveries: 0 })
    // Deleted rows stay in the pages until the table is rewritten: the check below can see them.
    expect(await filesHolding(word)).toContain('public.messages')
    await suite.store.vacuum()
    expect(await filesHolding(word)).toEqual([])
  })

  it('leaves a conversation under a legal hold whole, and erases it again only once the hold is lifted', async () => {
    const { brandId, chat } = await seed()
    await sql(`UPDATE conversations SET legal_hold = '{"reason": "case 7", "at": 1, "by": "agent:x"}' WHERE brand_id = $1 AND conv_id = $2`, [brandId, chat])
    const held = await suite.store.eraseConversations(brandId, [chat], T + 10_000)
    expect(held).toMatchObject({ erased: [], held: [chat], blobKeys: [], counts: { conversations: 0, messages: 0, notes: 0 } })
    expect((await holding(brandId, WORD)).messages).toBe(3)
    await sql('UPDATE conversations SET legal_hold = NULL WHERE brand_id = $1 AND conv_id = $2', [brandId, chat])
    expect((await suite.store.eraseConversations(brandId, [chat], T + 20_000)).erased).toEqual([chat])
    // Erasing an erased stub again counts nothing.
    expect((await suite.store.eraseConversations(brandId, [chat], T + 30_000)).counts).toMatchObject({ conversations: 0, messages: 0, contexts: 0 })
  })

  it('stores no behavioural context value for a visitor who denied consent, before or after the denial', async () => {
    const { brandId, v, chat } = await seed()
    await suite.store.recordVisit(brandId, v.id, { url: 'https://shop.example/', pagesViewed: 9, visitCount: 2, returning: true }, T + 20_000)
    expect(await suite.store.recordConsent(brandId, v.id, { at: T + 30_000, state: 'denied', source: 'api' })).toEqual({ conversations: 1 })
    const open = id('c_')
    const [r] = await suite.store.appendMessages([{ brandId, convId: open, clientMsgId: id('m'), from: v, text: 'hi', at: T + 40_000, context: { url: 'https://shop.example/a', timeOnSiteSec: 5 } }])
    expect(r!.ok).toBe(true)
    await suite.store.recordVisit(brandId, v.id, { url: 'https://shop.example/b', pagesViewed: 10 }, T + 40_000 + 3_600_000)
    await suite.store.updateVisitorContext(brandId, v.id, { url: 'https://shop.example/c', pagesViewed: 11 })
    const behavioural = await sql<{ n: number }>(`SELECT (SELECT count(*) FROM conversations WHERE brand_id = $1 AND visitor_id = $2 AND context ?| $3)
      + (SELECT count(*) FROM visitors WHERE brand_id = $1 AND visitor_id = $2 AND context ?| $3) AS n`, [brandId, v.id, ['pagesViewed', 'timeOnSiteSec', 'visitCount', 'returning']])
    expect(Number(behavioural[0]!.n)).toBe(0)
    expect((await suite.store.getConversation(brandId, open))?.context).toEqual({ url: 'https://shop.example/c' })
    expect((await suite.store.getConversation(brandId, chat))?.context).toEqual({ url: `https://shop.example/${WORD}` })
    expect(await suite.store.getVisitor(brandId, v.id)).toMatchObject({ visitCount: 0, consent: 'denied', context: { url: 'https://shop.example/b' } })
  })
})
