import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { BRAND_SETTING } from '../../../server/src/store/postgres/schema/sql.js'
import { describeWithPostgres, SERVING_ROLE, usePostgresStores } from '../../helpers/postgres.js'
import { createStoreBrand } from '../../helpers/brand.js'

// Transcript search on PostgreSQL (migration 3): the words a message is split into, as the SQLite
// index splits them (the contract suite checks the listing on both stores; here the words
// themselves, hostile and odd ones included), and the brand-scoped search function behind the
// listing: the transaction's brand only, through the GIN index.

const id = (prefix: string) => `${prefix}${randomBytes(6).toString('hex')}`
const FAMILY = '👩‍👩‍👧‍👦'
const THUMB = '👍🏽'

/** (message text, the words it is found by): case and accents folded, emoji whole, punctuation between words. */
const WORDS: [string, string[]][] = [
  ['Le CAFÉ était froid', ['le', 'cafe', 'etait', 'froid']],
  ["don't stop—ever…", ['don', 't', 'stop', 'ever']],
  [`pizza🍕 for the ${FAMILY}, ${THUMB}!`, ['pizza🍕', 'for', 'the', FAMILY, THUMB]],
  ['card 4111-1111 1111_1111', ['card', '4111', '1111', '1111', '1111']],
  ['a+b=c $5 50€ 3×4', ['a', 'b', 'c', '5', '50', '3', '4']],
  ['e-mail: ADA@Example.COM', ['e', 'mail', 'ada', 'example', 'com']],
  ['ΩΜΈΓΑ Straße İstanbul', ['ωμεγα', 'straße', 'istanbul']],
  ['日本語のテキスト', ['日本語のテキスト']],
  ['tab\there\nnew line\u00a0nbsp', ['tab', 'here', 'new', 'line', 'nbsp']],
  ["'); DROP TABLE messages; -- \\ ''", ['drop', 'table', 'messages']],
  ['...', []],
  ['', []],
  [`${'x'.repeat(3000)} short`, ['short']],
]

describeWithPostgres('transcript search on PostgreSQL', () => {
  const suite = usePostgresStores()
  let serving: pg.Client
  beforeAll(async () => {
    serving = new pg.Client({ connectionString: suite.db.url })
    await serving.connect()
  })
  afterAll(async () => { await serving.end() })

  /** Opens a conversation with one visitor message; its id. */
  async function said(brandId: string, text: string, at = 1000): Promise<string> {
    const convId = id('c_')
    const [r] = await suite.store.appendMessages([{ brandId, convId, clientMsgId: 'm1', from: { kind: 'visitor', id: id('v_') }, text, at, context: null }])
    expect(r).toMatchObject({ ok: true })
    return convId
  }

  const found = async (brandId: string, q: string) => (await suite.store.listConversations(brandId, { q })).conversations.map((c) => c.convId)

  it('splits a message into the words the SQLite index keeps', async () => {
    for (const [text, words] of WORDS) {
      const r = await serving.query<{ w: string[] }>('SELECT parley_search_words($1) AS w', [text])
      expect(r.rows[0]!.w, text).toEqual(words)
    }
  })

  it('indexes plain ASCII text by the same words as the full folding (migration 9), every character and length', async () => {
    // Three characters around a letter for every pair of ASCII characters, random ASCII text, the
    // lexeme limit's edges, and text with one non-ASCII character (the full path).
    const r = await serving.query<{ differ: number; total: number }>(`SELECT count(*) FILTER (WHERE parley_search_vector(s) IS DISTINCT FROM array_to_tsvector(parley_search_words(s)))::int AS differ, count(*)::int AS total FROM (
        SELECT chr(a) || chr(b) || chr(c) || 'X' || chr(a) AS s FROM generate_series(1, 127) a, generate_series(1, 127) b, (VALUES (65), (94), (96), (32), (97)) v(c)
        UNION ALL SELECT string_agg(chr(1 + floor(random() * 127)::int), '') FROM generate_series(1, 2000) g, generate_series(1, 40) k GROUP BY g
        UNION ALL SELECT repeat('x', n) || ' Word' FROM generate_series(2040, 2052) n
        UNION ALL SELECT 'ASCII then Café' UNION ALL SELECT '') t`)
    expect(r.rows[0]).toEqual({ differ: 0, total: 127 * 127 * 5 + 2000 + 13 + 2 })
    expect((await serving.query('SELECT parley_search_vector(NULL) AS v')).rows[0].v).toBeNull()
  })

  it('splits ASCII text by replacing its separators with spaces into the same words (migration 10), whichever path it takes', async () => {
    // Random printable text (every separator is then replaced, in one pass or two), text with only
    // the common punctuation, with a rarer separator, and with a control character (the regex split).
    const r = await serving.query<{ differ: number; total: number }>(`SELECT count(*) FILTER (WHERE parley_search_vector(s) IS DISTINCT FROM array_to_tsvector(parley_search_words(s)))::int AS differ, count(*)::int AS total FROM (
        SELECT string_agg(chr(32 + floor(random() * 95)::int), '') AS s FROM generate_series(1, 3000) g, generate_series(1, 60) k GROUP BY g
        UNION ALL SELECT string_agg(substr('ab, C.d?E!f''g"h:i;j-k(l)m/n' || chr(10) || ' 0^9\`', 1 + floor(random() * 33)::int, 1), '') FROM generate_series(1, 1000) g, generate_series(1, 80) k GROUP BY g
        UNION ALL SELECT 'Hi, where''s my order (#A-1234)? Thanks!' UNION ALL SELECT 'tab' || chr(9) || 'and' || chr(13) || 'cr'
        UNION ALL SELECT 'bell' || chr(7) || 'word, and more' UNION ALL SELECT ' , . ') t`)
    expect(r.rows[0]).toEqual({ differ: 0, total: 3000 + 1000 + 4 })
  })

  it('stores a message holding a word over the index limit, and finds it by its other words', async () => {
    const b = await createStoreBrand(suite.store)
    const convId = await said(b, WORDS.at(-1)![0])
    expect(await found(b, 'short')).toEqual([convId])
    expect(await found(b, 'x'.repeat(3000))).toEqual([])
  })

  it('finds a word split by punctuation as its parts, and nothing for punctuation alone', async () => {
    const b = await createStoreBrand(suite.store)
    const convId = await said(b, 'order #A-1234, please')
    expect(await found(b, 'A-1234')).toEqual([convId])
    expect(await found(b, '1234')).toEqual([convId])
    expect(await found(b, "'\\:*")).toEqual([])
  })

  it('drops the old words of a redacted message at once', async () => {
    const b = await createStoreBrand(suite.store)
    const convId = await said(b, 'my card 4111111111111111 thanks')
    expect(await suite.store.redactMessages(b, [{ convId, seq: 1, text: 'my card [card] thanks' }])).toHaveLength(1)
    expect(await found(b, '4111111111111111')).toEqual([])
    expect(await found(b, '4111*')).toEqual([])
    expect(await found(b, 'thanks')).toEqual([convId])
  })

  it("answers the search function for the transaction's brand only, and nothing without one", async () => {
    const a = await createStoreBrand(suite.store)
    const b = await createStoreBrand(suite.store)
    const inA = await said(a, 'shared secret word')
    await said(b, 'shared secret word')
    const search = async (brandId: string | null) => {
      await serving.query('BEGIN')
      try {
        if (brandId !== null) await serving.query(`SELECT set_config('${BRAND_SETTING}', $1, true)`, [brandId])
        const r = await serving.query<{ conv_id: string }>(`SELECT conv_id FROM parley_search_conversations(parley_search_query(ARRAY['secret'], ARRAY[false])) AS h (conv_id)`)
        return r.rows.map((row) => row.conv_id)
      } finally {
        await serving.query('ROLLBACK')
      }
    }
    expect(await search(a)).toEqual([inA])
    expect(await search(null)).toEqual([])
  })

  it('reads the matches through the GIN index (row-level security would keep the serving role off it)', async () => {
    const b = await createStoreBrand(suite.store)
    // Enough hay that a scan of the brand's messages costs more than the index (as in any real brand).
    for (let batch = 0; batch < 10; batch++) {
      await suite.store.appendMessages(Array.from({ length: 200 }, (_, i) => ({
        brandId: b, convId: `hay-${batch}`, clientMsgId: `m${i}`, from: { kind: 'visitor' as const, id: `v-${batch}` }, text: `hay ${batch} ${i}`, at: 1000, context: null,
      })))
    }
    await said(b, 'indexed needle')
    // The plans of the statements inside the function, as the serving role calls it: auto_explain
    // (loaded by the superuser for this session only) sends them to the client as LOG messages. The
    // table is small, so a seq scan is ruled out: the plan shows whether the index can be used at all.
    const c = new pg.Client({ connectionString: suite.db.adminUrl })
    await c.connect()
    const plans: string[] = []
    c.on('notice', (n) => plans.push(n.message ?? ''))
    try {
      await c.query('ANALYZE messages')
      await c.query(`LOAD 'auto_explain'; SET auto_explain.log_min_duration = 0; SET auto_explain.log_nested_statements = on;
        SET enable_seqscan = off; SET client_min_messages = log; SET ROLE ${SERVING_ROLE}`)
      await c.query('BEGIN')
      await c.query(`SELECT set_config('${BRAND_SETTING}', $1, true)`, [b])
      await c.query(`SELECT conv_id FROM parley_search_conversations(parley_search_query(ARRAY['needle'], ARRAY[false])) AS h (conv_id)`)
      await c.query('ROLLBACK')
    } finally {
      await c.end()
    }
    const inner = plans.find((p) => p.includes('FROM public.messages m'))
    expect(inner).toMatch(/Bitmap Index Scan on messages_search[^\n]*\n\s+Index Cond: \(search @@/)
  })
})
