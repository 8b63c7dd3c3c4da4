import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Store } from '../../../server/src/store/store.js'
import { createPostgresStore } from '../../../server/src/store/postgres/pg-store.js'
import { MIGRATIONS } from '../../../server/src/store/postgres/schema/index.js'
import { CROSS_BRAND_FUNCTIONS } from '../../../server/src/store/postgres/schema/002-tenancy.js'
import { SEARCH_TEXT_FUNCTIONS } from '../../../server/src/store/postgres/schema/003-listing.js'
import { ACCESS_DROPPED_FUNCTIONS, ACCESS_FUNCTIONS } from '../../../server/src/store/postgres/schema/005-access.js'
import { DATA_RIGHTS_FUNCTIONS } from '../../../server/src/store/postgres/schema/006-data-rights.js'
import { WEBHOOK_FUNCTIONS } from '../../../server/src/store/postgres/schema/007-webhooks.js'
import { BRAND_SETTING } from '../../../server/src/store/postgres/schema/sql.js'
import {
  adminQuery, createTestDatabase, describeWithPostgres, OWNER_ROLE, openPostgresStore, SERVING_ROLE, type TestDatabase,
} from '../../helpers/postgres.js'

// Tenant isolation by the database itself: row-level security on every table, a serving role that
// cannot turn it off, and cross-brand lookups that answer only what they should. Tables are listed
// from the catalog, so a table added later is checked without changing this file (and fails the
// fixture check below until it gets a row per brand there).

/** The versions table: the one table outside row-level security (it holds no brand's data). */
const VERSIONS = 'parley_schema_versions'

/** One row per brand in each table the Store's tenancy methods do not fill ($1: the brand). */
const FIXTURES: Record<string, string> = {
  conversations: `INSERT INTO conversations (brand_id, conv_id, visitor_id, status, created_at) VALUES ($1, 'c1', 'v1', 'open', 1)`,
  participants: `INSERT INTO participants (brand_id, conv_id, kind, participant_id, joined_at) VALUES ($1, 'c1', 'visitor', 'v1', 1)`,
  messages: `INSERT INTO messages (brand_id, conv_id, seq, client_msg_id, sender_kind, sender_id, text, at) VALUES ($1, 'c1', 1, 'm1', 'visitor', 'v1', 'hi', 1)`,
  masking_runs: `INSERT INTO masking_runs (brand_id, run_id, status, started_at, phase) VALUES ($1, 'r1', 'running', 1, 'messages')`,
  survey_versions: `INSERT INTO survey_versions (brand_id, survey_id, version, kind, definition, created_at) VALUES ($1, 's1', 1, 'pre', '{}', 1)`,
  survey_responses: `INSERT INTO survey_responses (brand_id, conv_id, survey_id, version, kind, client_msg_id, answers, at) VALUES ($1, 'c1', 's1', 1, 'pre', 'm2', '{}', 1)`,
  routing_offers: `INSERT INTO routing_offers (brand_id, conv_id, agent_id, offered_at, expires_at) VALUES ($1, 'c1', 'a1', 1, 2)`,
  canned_replies: `INSERT INTO canned_replies (brand_id, reply_id, shortcut, title, text, created_at, updated_at) VALUES ($1, 'r1', 'hi', 'Hi', 'Hello', 1, 1)`,
  conversation_notes: `INSERT INTO conversation_notes (brand_id, conv_id, note_id, client_note_id, author_id, text, at) VALUES ($1, 'c1', 'n1', 'cn1', 'a1', 'note', 1)`,
  attachments: `INSERT INTO attachments (brand_id, attachment_id, uploader, name, type, size, blob_key, created_at) VALUES ($1, 'f1', 'visitor:v1', 'a.png', 'image/png', 1, 'k', 1)`,
  sessions: `INSERT INTO sessions (brand_id, session_id, agent_id, created_at, last_seen_at, expires_at) VALUES ($1, 's1', 'a1', 1, 1, 9)`,
  audit_heads: `INSERT INTO audit_heads (brand_id, last_no) VALUES ($1, 1)`,
  audit_log: `INSERT INTO audit_log (brand_id, entry_no, at, actor_kind, actor_id, action, outcome) VALUES ($1, 1, 1, 'agent', 'a1', 'session.sign_in', 'ok')`,
  identity_secrets: `INSERT INTO identity_secrets (brand_id, secret_id, secret, created_at) VALUES ($1, 'is1', 'c2VjcmV0', 1)`,
  customers: `INSERT INTO customers (brand_id, customer_id, visitor_id, verified_at) VALUES ($1, 'cu1', 'v1', 1)`,
  revoked_token_ids: `INSERT INTO revoked_token_ids (brand_id, token_id, until) VALUES ($1, 't1', 9)`,
  visit_identity_tokens: `INSERT INTO visit_identity_tokens (brand_id, sid, digest, until) VALUES ($1, 's1', 'd1', 9)`,
  consent_events: `INSERT INTO consent_events (brand_id, visitor_id, at, state, source) VALUES ($1, 'v1', 1, 'denied', 'api')`,
  erasure_requests: `INSERT INTO erasure_requests (brand_id, request_id, status, selector_kind, selector, requested_at, requested_by, run_at)
    VALUES ($1, 'er1', 'scheduled', 'visitorId', '{"visitorId": "v1"}', 1, 'agent:a1', 100)`,
  webhook_endpoints: `INSERT INTO webhook_endpoints (brand_id, endpoint_id, url, events, description, enabled, secrets, created_at)
    VALUES ($1, 'whe1', 'https://hooks.example/in', '["message.created"]', '', true, '[{"secret": "whsec_AAAA", "expiresAt": null}]', 1)`,
  webhook_deliveries: `INSERT INTO webhook_deliveries (brand_id, delivery_id, endpoint_id, event_id, type, conv_id, payload, status, next_attempt_at, created_at)
    VALUES ($1, 'whd1', 'whe1', 'evt1', 'message.created', 'c1', '{"text": "hi"}', 'pending', 100, 1)`,
}

/** Fills every table with rows of `brandId`: through the Store where it can, as the superuser otherwise. */
async function seedBrand(store: Store, db: TestDatabase, brandId: string): Promise<void> {
  await store.createBrand({
    brandId, name: brandId, siteKey: `site_${brandId}`, allowedOrigins: [`https://${brandId}.example`], apiKeyHash: `key_${brandId}`, createdAt: 1,
  })
  await store.createAgent({ brandId, agentId: 'a1', email: 'a1@agents.example', name: 'A1', passwordHash: 'h', createdAt: 1 })
  await store.setAgentStatus({ brandId, agentId: 'a1', status: 'available', auto: false, awayAfterMin: 10, since: 1 })
  await store.recordVisit(brandId, 'v1', null, 1)
  await store.claimIdempotencyKey({ brandId, caller: 'brand' }, 'k1', 'fp', 1, 0, 0)
  await store.addRuleCounts(brandId, '2024-01-01', [{ ruleId: 'r1', arm: 'treatment', impressions: 1, clicks: 0, dismissals: 0, chats: 0 }])
  for (const sql of Object.values(FIXTURES)) await adminQuery(sql, [brandId], db.adminUrl)
}

/** Runs `fn` as the serving role in one transaction acting for `brandId` (null: none), then rolls back. */
async function asServing<T>(db: TestDatabase, brandId: string | null, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: db.url })
  await c.connect()
  try {
    await c.query('BEGIN')
    if (brandId !== null) await c.query(`SELECT set_config('${BRAND_SETTING}', $1, true)`, [brandId])
    return await fn(c)
  } finally {
    await c.query('ROLLBACK').catch(() => {})
    await c.end()
  }
}

/** The SQLSTATE a statement fails with as the serving role (null: it succeeded). */
async function servingError(db: TestDatabase, sql: string, brandId: string | null = null, params: unknown[] = []): Promise<string | null> {
  return asServing(db, brandId, async (c) => {
    try {
      await c.query(sql, params)
      return null
    } catch (err) {
      return (err as { code?: string }).code ?? 'no code'
    }
  })
}

/** The tables of the schema in public, from the catalog. */
async function schemaTables(db: TestDatabase): Promise<{ name: string; branded: boolean }[]> {
  return adminQuery<{ name: string; branded: boolean }>(`SELECT c.relname AS name,
      EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'brand_id' AND NOT a.attisdropped) AS branded
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname <> $1 ORDER BY c.relname`, [VERSIONS], db.adminUrl)
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`

/**
 * Every function that runs with the owner's rights, and what it returns: scalars, or rows of ids (a
 * sweep's brand and row ids), never a table's whole rows. A function added or changed fails the
 * check below until it is reviewed and listed here.
 */
const DEFINER_RESULTS: Record<string, string> = {
  'parley_brand_by_site_key(text)': 'text',
  'parley_origin_allowed_anywhere(text)': 'boolean',
  'parley_sweep_idempotency_keys(bigint)': 'integer',
  'parley_ping()': 'void',
  'parley_search_conversations(tsquery)': 'SETOF text',
  'parley_brands_with_pending_offers()': 'SETOF text',
  'parley_prune_ended_offers(bigint,integer)': 'integer',
  'parley_brands_with_open_chats()': 'SETOF text',
  'parley_unsent_attachment_ids(bigint,integer)': 'TABLE(brand_id text, attachment_id text)',
  'parley_api_key_by_hash(text)': 'TABLE(brand_id text, key_id text)',
  'parley_brand_ids(text,integer)': 'SETOF text',
  'parley_prune_revoked_token_ids(bigint,integer)': 'integer',
  'parley_purge_audit(bigint,integer)': 'integer',
  'parley_claim_erasure_requests(bigint,integer,bigint)': 'TABLE(brand_id text, request_id text)',
  'parley_visitors_by_email(text)': 'SETOF text',
  'parley_get_ledger_mark(text)': 'TABLE(bytes bigint, digest text)',
  'parley_set_ledger_mark(text,bigint,text)': 'void',
  'parley_claim_webhook_deliveries(bigint,bigint,integer)': 'TABLE(brand_id text, delivery_id text)',
  'parley_prune_webhook_deliveries(bigint,integer)': 'integer',
}

describeWithPostgres('PostgreSQL row-level security', () => {
  let db: TestDatabase
  let store: Store
  let tables: { name: string; branded: boolean }[]
  const [A, B] = ['brand_a', 'brand_b']

  beforeAll(async () => {
    db = await createTestDatabase()
    store = await openPostgresStore(db)
    await seedBrand(store, db, A)
    await seedBrand(store, db, B)
    tables = await schemaTables(db)
  })
  afterAll(async () => {
    await store?.close()
    await db?.drop()
  })

  it('holds rows of both brands in every brand-owned table (so the checks below are not vacuous)', async () => {
    const empty: string[] = []
    for (const t of tables.filter((t) => t.branded)) {
      const [row] = await adminQuery<{ n: number }>(`SELECT count(DISTINCT brand_id)::int AS n FROM ${quote(t.name)} WHERE brand_id IN ($1, $2)`, [A, B], db.adminUrl)
      if (row!.n !== 2) empty.push(t.name)
    }
    expect(empty, 'tables without a row of each brand: add one to FIXTURES').toEqual([])
  })

  it('shows a transaction that names no brand no row of any table', async () => {
    const seen = await asServing(db, null, async (c) => {
      const out: Record<string, number> = {}
      for (const t of tables) out[t.name] = (await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${quote(t.name)}`)).rows[0]!.n
      return out
    })
    expect(seen).toEqual(Object.fromEntries(tables.map((t) => [t.name, 0])))
  })

  it("shows a transaction acting for brand A no row of brand B's in any table", async () => {
    const seen = await asServing(db, A, async (c) => {
      const out: Record<string, number> = {}
      for (const t of tables) {
        const where = t.branded ? 'WHERE brand_id IS DISTINCT FROM $1' : 'WHERE $1::text IS NOT NULL'
        out[t.name] = (await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${quote(t.name)} ${where}`, [A])).rows[0]!.n
      }
      return out
    })
    expect(seen).toEqual(Object.fromEntries(tables.map((t) => [t.name, 0])))
    // And its own rows are there: the policy filters, it does not hide everything.
    expect(await asServing(db, A, async (c) => (await c.query('SELECT brand_id FROM agents')).rows)).toEqual([{ brand_id: A }])
  })

  it("hides a row whose brand_id is '' from a transaction that names no brand", async () => {
    await adminQuery(`INSERT INTO brands (brand_id, name, site_key, created_at) VALUES ('', 'blank', 'site_blank', 1)`, [], db.adminUrl)
    try {
      expect(await asServing(db, null, async (c) => (await c.query('SELECT brand_id FROM brands')).rows)).toEqual([])
      expect(await asServing(db, '', async (c) => (await c.query('SELECT brand_id FROM brands')).rows)).toEqual([])
    } finally {
      await adminQuery(`DELETE FROM brands WHERE brand_id = ''`, [], db.adminUrl)
    }
  })

  it("refuses to insert or move a row into a brand other than the transaction's (WITH CHECK)", async () => {
    expect(await servingError(db, `INSERT INTO conversations (brand_id, conv_id, visitor_id, status, created_at) VALUES ($1, 'c9', 'v9', 'open', 1)`, A, [B])).toBe('42501')
    expect(await servingError(db, `INSERT INTO rule_stats (brand_id, rule_id, arm, day) VALUES ($1, 'r', 'control', '2024-01-01')`, null, [A])).toBe('42501')
    expect(await servingError(db, 'UPDATE agents SET brand_id = $1', A, [B])).toBe('42501')
    // The same insert into its own brand goes through: the refusal above is the policy's.
    expect(await servingError(db, `INSERT INTO conversations (brand_id, conv_id, visitor_id, status, created_at) VALUES ($1, 'c9', 'v9', 'open', 1)`, A, [A])).toBeNull()
  })

  it('lets the serving role neither turn row-level security off, nor drop a policy, nor become the owner', async () => {
    const refused: Record<string, string | null> = {}
    for (const t of tables) {
      for (const sql of [`ALTER TABLE ${quote(t.name)} DISABLE ROW LEVEL SECURITY`, `ALTER TABLE ${quote(t.name)} NO FORCE ROW LEVEL SECURITY`]) {
        refused[sql] = await servingError(db, sql)
      }
    }
    const policies = await adminQuery<{ policyname: string; tablename: string }>(`SELECT policyname, tablename FROM pg_policies WHERE schemaname = 'public'`, [], db.adminUrl)
    expect(policies.length).toBeGreaterThanOrEqual(tables.length)
    for (const p of policies) {
      const sql = `DROP POLICY ${quote(p.policyname)} ON ${quote(p.tablename)}`
      refused[sql] = await servingError(db, sql)
    }
    refused['SET ROLE owner'] = await servingError(db, `SET ROLE ${OWNER_ROLE}`)
    refused['SET SESSION AUTHORIZATION owner'] = await servingError(db, `SET SESSION AUTHORIZATION ${OWNER_ROLE}`)
    // 42501: insufficient privilege (must be owner; not a member of the role).
    expect(refused).toEqual(Object.fromEntries(Object.keys(refused).map((k) => [k, '42501'])))
  })

  it('has row-level security enabled and forced on every table in public but the versions table', async () => {
    const rows = await adminQuery<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }>(`
      SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname <> $1 ORDER BY c.relname`, [VERSIONS], db.adminUrl)
    expect(rows.length).toBeGreaterThanOrEqual(19)
    expect(rows.filter((r) => !r.relrowsecurity || !r.relforcerowsecurity).map((r) => r.relname)).toEqual([])
  })

  describe('cross-brand functions', () => {
    const call = <R>(sql: string, params: unknown[]) => asServing(db, null, async (c) => (await c.query<{ v: R }>(sql, params)).rows[0]!.v)

    it('answer a site key with that brand id only', async () => {
      expect(await call('SELECT parley_brand_by_site_key($1) AS v', [`site_${A}`])).toBe(A)
      expect(await call('SELECT parley_brand_by_site_key($1) AS v', [`site_${B}`])).toBe(B)
      expect(await call('SELECT parley_brand_by_site_key($1) AS v', [`key_${A}`])).toBeNull()
    })

    it('answer an API key hash with its brand and key id only', async () => {
      const rows = (hash: string) => asServing(db, null, async (c) => (await c.query('SELECT * FROM parley_api_key_by_hash($1)', [hash])).rows)
      expect(await rows(`key_${B}`)).toEqual([{ brand_id: B, key_id: `k_key_${B}` }])
      expect(await rows(`site_${B}`)).toEqual([])
    })

    it('list brand ids in byte order, a page at a time', async () => {
      const page = (after: string | null, limit: number) => asServing(db, null, async (c) =>
        (await c.query<{ b: string }>('SELECT b FROM parley_brand_ids($1, $2) AS b', [after, limit])).rows.map((r) => r.b))
      expect(await page(null, 10)).toEqual([A, B])
      expect(await page(null, 1)).toEqual([A])
      expect(await page(A, 10)).toEqual([B])
      expect(await page(B, 10)).toEqual([])
      expect(await page(null, -1)).toEqual([])
    })

    it('no longer define the API key lookup that answered only a brand', async () => {
      const gone = await adminQuery<{ sig: string }>(`SELECT p.oid::regprocedure::text AS sig FROM pg_proc p
        JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public' AND p.oid::regprocedure::text = ANY($1)`,
      [ACCESS_DROPPED_FUNCTIONS], db.adminUrl)
      expect(gone).toEqual([])
    })

    it('answer whether an origin is allowed with a boolean, exact origins only', async () => {
      expect(await call('SELECT parley_origin_allowed_anywhere($1) AS v', [`https://${A}.example`])).toBe(true)
      expect(await call('SELECT parley_origin_allowed_anywhere($1) AS v', [`https://${A}.example.evil.example`])).toBe(false)
    })

    it('return scalars or ids, run as their owner with a pinned search_path, and are not executable by PUBLIC', async () => {
      const all = await adminQuery<{ sig: string; result: string; definer: boolean; config: string[] | null; owner: string; public_exec: boolean; volatility: string }>(`
        SELECT p.oid::regprocedure::text AS sig, pg_get_function_result(p.oid) AS result, p.prosecdef AS definer, p.proconfig AS config, p.provolatile AS volatility,
          pg_get_userbyid(p.proowner) AS owner,
          EXISTS (SELECT 1 FROM aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a WHERE a.grantee = 0) AS public_exec
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public' ORDER BY 1`, [], db.adminUrl)
      // Transcript search's text functions (migration 3) are pure: the caller's rights, immutable.
      const pure = all.filter((r) => SEARCH_TEXT_FUNCTIONS.includes(r.sig))
      expect(pure.map((r) => [r.sig, r.definer, r.volatility]).sort()).toEqual(SEARCH_TEXT_FUNCTIONS.map((f) => [f, false, 'i']).sort())
      const rows = all.filter((r) => !SEARCH_TEXT_FUNCTIONS.includes(r.sig))
      const mine = rows.filter((r) => CROSS_BRAND_FUNCTIONS.includes(r.sig))
      expect(mine.map((r) => r.sig).sort()).toEqual(CROSS_BRAND_FUNCTIONS.filter((f) => !ACCESS_DROPPED_FUNCTIONS.includes(f)).sort())
      const access = rows.filter((r) => ACCESS_FUNCTIONS.map((f) => f.replace(/ /g, '')).includes(r.sig))
      expect(access).toHaveLength(ACCESS_FUNCTIONS.length)
      expect(rows.filter((r) => DATA_RIGHTS_FUNCTIONS.map((f) => f.replace(/ /g, '')).includes(r.sig))).toHaveLength(DATA_RIGHTS_FUNCTIONS.length)
      expect(rows.filter((r) => WEBHOOK_FUNCTIONS.map((f) => f.replace(/ /g, '')).includes(r.sig))).toHaveLength(WEBHOOK_FUNCTIONS.length)
      for (const r of rows) {
        // pg_temp last: left out, it would be searched first, and a temporary table could stand in for ours.
        expect(r, r.sig).toMatchObject({ definer: true, config: ['search_path=pg_catalog, public, pg_temp'], owner: OWNER_ROLE, public_exec: false })
      }
      expect(Object.fromEntries(rows.map((r) => [r.sig, r.result]))).toEqual(DEFINER_RESULTS)
    })

    it('let the serving role create no temporary table, nor anything in schema public', async () => {
      expect(await servingError(db, 'CREATE TEMP TABLE brands (brand_id text, site_key text)')).toBe('42501')
      expect(await servingError(db, 'CREATE TABLE public.mine (x int)')).toBe('42501')
      const [priv] = await adminQuery<{ temp: boolean; create: boolean }>(`SELECT has_database_privilege($1, current_database(), 'TEMP') AS temp,
        has_schema_privilege($1, 'public', 'CREATE') AS create`, [SERVING_ROLE], db.adminUrl)
      expect(priv).toEqual({ temp: false, create: false })
    })

    it('read their own tables, never a temporary table of the same name in the calling session', async () => {
      // A superuser may still create temporary tables: in its session, each lookup's table has a
      // stand-in that answers for brand 'evil'. The functions must not see them.
      const c = new pg.Client({ connectionString: db.adminUrl })
      await c.connect()
      try {
        await c.query(`CREATE TEMP TABLE brands (brand_id text, site_key text);
          CREATE TEMP TABLE api_keys (brand_id text, key_hash text, key_id text);
          CREATE TEMP TABLE brand_origins (brand_id text, origin text);
          CREATE TEMP TABLE conversations (brand_id text, status text, origin text);
          CREATE TEMP TABLE erasure_requests (brand_id text, request_id text, status text, run_at bigint);
          INSERT INTO erasure_requests VALUES ('evil', 'er-evil', 'scheduled', 0);
          CREATE TEMP TABLE webhook_deliveries (seq bigint, brand_id text, delivery_id text, status text, next_attempt_at bigint, lease_until bigint, created_at bigint);
          INSERT INTO webhook_deliveries VALUES (1, 'evil', 'whd-evil', 'pending', 0, NULL, 0), (2, 'evil', 'whd-old', 'delivered', 0, NULL, 0);
          INSERT INTO brands VALUES ('evil', 'site_${A}'), ('evil', 'site_evil');
          INSERT INTO api_keys VALUES ('evil', 'key_evil', 'k_evil');
          INSERT INTO brand_origins VALUES ('evil', 'https://evil.example');
          INSERT INTO conversations VALUES ('evil', 'open', 'chat')`)
        const v = async (sql: string, params: unknown[] = []) => (await c.query<{ v: unknown }>(sql, params)).rows.map((r) => r.v)
        expect(await v('SELECT parley_brand_by_site_key($1) AS v', [`site_${A}`])).toEqual([A])
        expect(await v('SELECT parley_brand_by_site_key($1) AS v', ['site_evil'])).toEqual([null])
        expect(await v('SELECT key_id AS v FROM parley_api_key_by_hash($1)', ['key_evil'])).toEqual([])
        expect(await v('SELECT b AS v FROM parley_brand_ids(NULL, 100) b')).not.toContain('evil')
        expect(await v('SELECT parley_origin_allowed_anywhere($1) AS v', ['https://evil.example'])).toEqual([false])
        expect(await v('SELECT b AS v FROM parley_brands_with_open_chats() b')).not.toContain('evil')
        // A lease that has run out already (0): the rows stay claimable for the tests after this one.
        expect(await v('SELECT brand_id AS v FROM parley_claim_erasure_requests(1000, 100, 0)')).not.toContain('evil')
        await c.query('BEGIN')
        try {
          expect(await v('SELECT brand_id AS v FROM parley_claim_webhook_deliveries(1000, 2000, 100)')).not.toContain('evil')
          expect(await v('SELECT parley_prune_webhook_deliveries(1000, 100) AS v')).toEqual([0])
          expect(await v('SELECT count(*)::int AS v FROM pg_temp.webhook_deliveries')).toEqual([2])
        } finally {
          await c.query('ROLLBACK')
        }
      } finally {
        await c.end()
      }
    })

    // Each call rolls back (asServing): the leases are the store contract's (erasure-requests.test.ts).
    it("claim every brand's due erasure requests as ids only, oldest first, and none scheduled later or not scheduled", async () => {
      const due = (now: number, limit: number, leaseUntil = now) => asServing(db, null, async (c) =>
        (await c.query('SELECT * FROM parley_claim_erasure_requests($1, $2, $3)', [now, limit, leaseUntil])).rows)
      await adminQuery(`INSERT INTO erasure_requests (brand_id, request_id, status, selector_kind, requested_at, requested_by, run_at)
        VALUES ($1, 'er-done', 'done', 'email', 1, 'key:k', 50), ($2, 'er-late', 'scheduled', 'email', 1, 'key:k', 500)`, [A, B], db.adminUrl)
      await adminQuery(`UPDATE erasure_requests SET run_at = 90 WHERE brand_id = $1 AND request_id = 'er1'`, [B], db.adminUrl)
      expect(await due(100, 10)).toEqual([{ brand_id: B, request_id: 'er1' }, { brand_id: A, request_id: 'er1' }])
      expect(await due(100, 1)).toEqual([{ brand_id: B, request_id: 'er1' }])
      expect(await due(89, 10)).toEqual([])
      expect(await due(100, -1)).toEqual([])
    })

    it("find visitors by e-mail in the transaction's brand only, and in none when it names none", async () => {
      await adminQuery(`UPDATE customers SET email = 'Same@Example.org', visitor_id = 'v-' || brand_id WHERE brand_id IN ($1, $2)`, [A, B], db.adminUrl)
      const found = (brandId: string | null) => asServing(db, brandId, async (c) =>
        (await c.query<{ v: string }>('SELECT v FROM parley_visitors_by_email($1) AS v', ['same@example.org'])).rows.map((r) => r.v))
      expect(await found(A)).toEqual([`v-${A}`])
      expect(await found(B)).toEqual([`v-${B}`])
      expect(await found(null)).toEqual([])
    })

    it("sweep every brand's stale Idempotency-Keys and only those", async () => {
      const scope = (brandId: string) => ({ brandId, caller: 'agent:sweep' })
      await store.claimIdempotencyKey(scope(A), 'old', 'fp', 100, 0, 0)
      await store.claimIdempotencyKey(scope(B), 'old', 'fp', 100, 0, 0)
      await store.claimIdempotencyKey(scope(B), 'new', 'fp', 300, 0, 0)
      expect(await store.sweepIdempotencyKeys(200)).toBe(4) // the two above, and the seeds' (created at 1)
      const left = await adminQuery<{ brand_id: string; created_at: number }>('SELECT brand_id, created_at::int FROM idempotency_keys', [], db.adminUrl)
      expect(left).toEqual([{ brand_id: B, created_at: 300 }])
    })

    it("prune every brand's refused token ids and visits' recorded tokens past their time and only those", async () => {
      await store.revokeTokenIds(A, [{ id: 'old', until: 100 }, { id: 'new', until: 300 }])
      await store.revokeTokenIds(B, [{ id: 'old', until: 100 }])
      await store.recordIdentityToken(A, 'visit', 'used-old', 100)
      await store.recordIdentityToken(B, 'visit', 'used-new', 300)
      const before = await adminQuery<{ n: number }>(`SELECT (SELECT count(*) FROM revoked_token_ids WHERE until <= 200)
        + (SELECT count(*) FROM visit_identity_tokens WHERE until <= 200) AS n`, [], db.adminUrl)
      expect(await store.pruneRevokedTokenIds(200, 1000)).toBe(Number(before[0]!.n))
      const left = await adminQuery<{ brand_id: string; token_id: string }>('SELECT brand_id, token_id FROM revoked_token_ids WHERE until <= 200', [], db.adminUrl)
      expect(left).toEqual([])
      expect(await adminQuery('SELECT 1 FROM visit_identity_tokens WHERE until <= 200', [], db.adminUrl)).toEqual([])
      expect(await store.isTokenIdRevoked(A, 'new', 200)).toBe(true)
      await store.endVisit(B, 'visit', 250)
      expect(await store.isTokenIdRevoked(B, 'used-new', 299)).toBe(true)
    })
  })

  describe('the audit log', () => {
    it('lets the serving role insert and read entries, but neither update nor delete nor truncate them', async () => {
      expect(await servingError(db, `INSERT INTO audit_log (brand_id, entry_no, at, actor_kind, action, outcome) VALUES ($1, 1000, 2, 'system', 'session.sign_in', 'ok')`, A, [A])).toBeNull()
      expect(await asServing(db, A, async (c) => (await c.query('SELECT count(*)::int AS n FROM audit_log')).rows[0].n)).toBeGreaterThan(0)
      // 42501: insufficient privilege: the table grants it no UPDATE, DELETE or TRUNCATE, whatever the row.
      expect(await servingError(db, `UPDATE audit_log SET action = 'session.sign_out'`, A)).toBe('42501')
      expect(await servingError(db, 'UPDATE audit_log SET code = NULL WHERE brand_id = $1', A, [A])).toBe('42501')
      expect(await servingError(db, 'DELETE FROM audit_log', A)).toBe('42501')
      expect(await servingError(db, 'DELETE FROM audit_log WHERE brand_id = $1', A, [A])).toBe('42501')
      expect(await servingError(db, 'TRUNCATE audit_log', A)).toBe('42501')
      // Every start grants the tables' rows again; the audit log stays append-only after one.
      await (await openPostgresStore(db)).close()
      const [grants] = await adminQuery<{ ins: boolean; sel: boolean; upd: boolean; del: boolean }>(`SELECT
          has_table_privilege($1, 'audit_log', 'INSERT') AS ins, has_table_privilege($1, 'audit_log', 'SELECT') AS sel,
          has_table_privilege($1, 'audit_log', 'UPDATE') AS upd, has_table_privilege($1, 'audit_log', 'DELETE') AS del`, [SERVING_ROLE], db.adminUrl)
      expect(grants).toEqual({ ins: true, sel: true, upd: false, del: false })
    })

    it("purges only the transaction's brand's entries, older than the time given", async () => {
      const entry = (brandId: string, at: number) => ({
        brandId, at, actor: { kind: 'system' as const, id: null }, action: 'session.sign_in' as const, resource: null,
        outcome: 'ok' as const, code: null, address: null, detail: {},
      })
      await store.appendAudit([entry(A, 50), entry(A, 500), entry(B, 50)])
      const count = async (brandId: string) => (await adminQuery<{ n: number }>('SELECT count(*)::int AS n FROM audit_log WHERE brand_id = $1 AND at < 100',
        [brandId], db.adminUrl))[0]!.n
      const bBefore = await count(B)
      expect(await store.purgeAudit(A, 100, 1000)).toBeGreaterThan(0)
      expect(await count(A)).toBe(0)
      expect(await count(B)).toBe(bBefore)
      expect((await store.listAudit(A, { limit: 10 })).map((e) => e.at)).toContain(500)
      // With no brand named, the function deletes nothing at all.
      expect(await asServing(db, null, async (c) => (await c.query('SELECT parley_purge_audit(1000000, 1000) AS n')).rows[0].n)).toBe(0)
      expect(await count(B)).toBe(bBefore)
    })
  })
})

describeWithPostgres('PostgreSQL serving role and start-up', () => {
  let db: TestDatabase
  beforeAll(async () => { db = await createTestDatabase() })
  afterAll(async () => { await db?.drop() })

  it('migrates once when four nodes start at once on a fresh database', async () => {
    const stores = await Promise.all([1, 2, 3, 4].map(() => openPostgresStore(db)))
    try {
      const versions = await adminQuery<{ version: number; n: number }>(
        `SELECT version, count(*)::int AS n FROM ${VERSIONS} GROUP BY version ORDER BY version`, [], db.adminUrl)
      expect(versions).toEqual(MIGRATIONS.map((m) => ({ version: m.version, n: 1 })))
      await Promise.all(stores.map((s) => s.ping()))
    } finally {
      await Promise.all(stores.map((s) => s.close()))
    }
  })

  it('refuses a superuser as the serving role', async () => {
    await expect(openPostgresStore(db, { url: db.adminUrl })).rejects.toThrow(/is a superuser, so row-level security would not apply/)
  })

  it('refuses the owner role as the serving role', async () => {
    await expect(openPostgresStore(db, { url: db.ownerUrl })).rejects.toThrow(new RegExp(`role ${OWNER_ROLE} owns .* so row-level security would not apply`))
  })

  it('takes CREATE on schema public from PUBLIC when it migrates', async () => {
    const fresh = await createTestDatabase()
    try {
      // PostgreSQL before 15 grants it to PUBLIC by default.
      await adminQuery('GRANT CREATE ON SCHEMA public TO PUBLIC', [], fresh.adminUrl)
      const store = await openPostgresStore(fresh)
      await store.close()
      const [row] = await adminQuery<{ create: boolean }>(`SELECT has_schema_privilege($1, 'public', 'CREATE') AS create`, [SERVING_ROLE], fresh.adminUrl)
      expect(row).toEqual({ create: false })
    } finally {
      await fresh.drop()
    }
  })

  it('refuses a serving role that may create objects in schema public', async () => {
    const fresh = await createTestDatabase()
    try {
      await (await openPostgresStore(fresh)).close()
      await adminQuery(`GRANT CREATE ON SCHEMA public TO ${SERVING_ROLE}`, [], fresh.adminUrl)
      await expect(createPostgresStore({ url: fresh.url, poolSize: 2 })).rejects.toThrow(/may create objects in schema public, so .*docs\/operations\.md#two-roles-and-why/)
    } finally {
      await fresh.drop()
    }
  })

  it('serves as a role that owns nothing and has no BYPASSRLS', async () => {
    const store = await openPostgresStore(db)
    await store.close()
    const [role] = await adminQuery<{ rolsuper: boolean; rolbypassrls: boolean }>('SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = $1', [SERVING_ROLE])
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false })
  })
})
