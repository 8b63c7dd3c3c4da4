import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { randomBytes } from 'node:crypto'
import Database from 'better-sqlite3'
import { ALL_SCOPES, type AuditEntry, type Scope } from '@parley/sdk/contract'
import { Parley } from '@parley/sdk'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand, type TestAgent, type TestBrand } from '../helpers/brand.js'
import { callRest, type RestResponse } from '../helpers/rest.js'
import { expectErrorBody } from '../helpers/expect-error.js'
import { TestClient } from '../helpers/ws-client.js'
import { sendAndAck } from '../helpers/delivery-chat.js'
import { until } from '../helpers/until.js'
import { createApiKey, hashApiKey } from '../../server/src/auth/api-keys.js'
import { databaseFile } from '../../server/src/data-dir.js'
import { upload } from '../helpers/attachments.js'
import { PDF } from '../helpers/attachment-files.js'

// The audit log over a real relay and SQLite file: each audited action leaves exactly one entry
// with the expected fields; GET /v1/audit filters and pages; only admins and keys with audit:read
// read it, and a refusal is itself an entry; and no stored audit row, in any column, nor the relay's
// log, ever holds a word of the messages that were read and searched.

/** Words only the chat's messages hold. */
const SECRET_WORDS = ['zanzibarquokka', 'marmaladefjord', 'periwinklegazebo']

/** A key of `brand` with exactly `scopes`, stored as the keys routes store one. */
async function keyWith(relay: TestRelay, brandId: string, scopes: readonly Scope[]): Promise<{ secret: string; keyId: string }> {
  const secret = createApiKey()
  const keyId = `key_${randomBytes(6).toString('hex')}`
  await relay.deps.store.createApiKey({
    brandId, keyId, name: 'test key', scopes: [...scopes], keyHash: hashApiKey(secret), prefix: secret.slice(0, 8),
    createdAt: relay.deps.clock.now(), lastUsedAt: null, expiresAt: null, revokedAt: null, createdBy: 'cli', replacedBy: null,
  })
  return { secret, keyId }
}

const mergePatch = { 'content-type': 'application/merge-patch+json' }

describe('the audit log', () => {
  let relay: TestRelay
  let brand: TestBrand
  let admin: TestAgent
  let plain: TestAgent
  let key: { secret: string; keyId: string }
  let convId: string
  let attachmentId: string
  const logLines: string[] = []
  const clients: TestClient[] = []

  beforeAll(async () => {
    relay = await startRelay({ logStream: { write: (l) => { logLines.push(l) } }, logLevel: 'debug' })
    brand = await createTestBrand(relay)
    admin = await createTestAgent(relay, brand.brandId, 'Ada', 'admin')
    plain = await createTestAgent(relay, brand.brandId, 'Pat', 'agent')
    key = await keyWith(relay, brand.brandId, ALL_SCOPES)
    // A real chat through the relay, with words the audit log must never see.
    const visitor = await TestClient.visitor(relay.wsUrl, brand.siteKey)
    const agent = await TestClient.agent(relay.wsUrl, admin.token)
    clients.push(visitor.client, agent.client)
    convId = `c_${randomBytes(6).toString('hex')}`
    await sendAndAck(visitor.client, convId, 'm1', `hello, my ${SECRET_WORDS[0]} arrived broken`)
    await until(() => agent.client.all('conversation.opened', (f) => f.convId === convId)[0], 'opened')
    agent.client.send({ type: 'conversation.join', convId, ref: 'j1' })
    await until(() => agent.client.all('conversation.joined', (f) => f.convId === convId)[0], 'joined')
    await sendAndAck(agent.client, convId, 'm2', `sorry about the ${SECRET_WORDS[1]}`)
    await sendAndAck(visitor.client, convId, 'm3', `thanks ${SECRET_WORDS[2]}`)
    const file = await upload(relay, visitor.welcome.identity.kind === 'visitor' ? visitor.welcome.identity.token : '', PDF, { type: 'application/pdf', name: 'receipt.pdf' })
    expect(file.status).toBe(201)
    attachmentId = file.body.attachmentId
    visitor.client.send({ type: 'message.send', convId, clientMsgId: 'm4', text: '', attachments: [attachmentId] })
    await until(() => visitor.client.all('message.ack', (f) => f.clientMsgId === 'm4')[0], 'ack of the file')
  })
  afterAll(async () => {
    for (const c of clients) c.close()
    await relay?.close()
  })

  const entries = async (): Promise<AuditEntry[]> => relay.deps.store.listAudit(brand.brandId, { limit: 10_000 })

  /** The entries `act` added (the store's newest first). */
  async function added(act: () => Promise<RestResponse>): Promise<{ res: RestResponse; fresh: AuditEntry[] }> {
    const seen = new Set((await entries()).map((e) => e.entryId))
    const res = await act()
    return { res, fresh: (await entries()).filter((e) => !seen.has(e.entryId)) }
  }

  type Row = [
    name: string,
    trigger: () => Promise<RestResponse>,
    expected: () => Partial<AuditEntry> & { detail?: Partial<AuditEntry['detail']> },
    /** Runs before the log is read, so what it records is not counted. */
    setup?: () => Promise<void>,
  ]
  /** Ids the rows make and later rows use. */
  const made: { keyId?: string; revokedKeyId?: string; agentId?: string; secretId?: string; token?: string; sessionId?: string } = {}
  const signIn = (email: string, password: string) => callRest(relay, { method: 'POST', url: '/v1/agent/sessions', body: { brandId: brand.brandId, email, password } })
  const asKey = () => ({ kind: 'key' as const, id: key.keyId })
  const asAdmin = () => ({ kind: 'agent' as const, id: admin.agentId })
  const ROWS: Row[] = [
    ['a conversation header read by a key',
      () => callRest(relay, { url: `/v1/conversations/${convId}`, token: key.secret }),
      () => ({ action: 'conversation.read', actor: asKey(), resource: { type: 'conversation', id: convId }, outcome: 'ok', detail: { part: 'header' } })],
    ['a transcript read by an admin agent',
      () => callRest(relay, { url: `/v1/conversations/${convId}/messages`, token: admin.token }),
      () => ({ action: 'conversation.read', actor: asAdmin(), resource: { type: 'conversation', id: convId }, detail: { part: 'messages' } })],
    ['internal notes read',
      () => callRest(relay, { url: `/v1/conversations/${convId}/notes`, token: key.secret }),
      () => ({ action: 'conversation.read', resource: { type: 'conversation', id: convId }, detail: { part: 'notes' } })],
    ['survey answers read',
      () => callRest(relay, { url: `/v1/conversations/${convId}/responses`, token: key.secret }),
      () => ({ action: 'conversation.read', resource: { type: 'conversation', id: convId }, detail: { part: 'responses' } })],
    ['a file sent in the chat downloaded',
      () => callRest(relay, { url: `/v1/attachments/${attachmentId}`, token: key.secret }),
      () => ({ action: 'conversation.read', actor: asKey(), resource: { type: 'conversation', id: convId }, detail: { part: 'attachment' } })],
    ['a transcript search',
      () => callRest(relay, { url: `/v1/conversations?q=${SECRET_WORDS[1]}&status=open`, token: key.secret }),
      () => ({ action: 'conversation.search', resource: null, detail: { filters: 'status', searched: true, count: 1 } })],
    ['a plain listing',
      () => callRest(relay, { url: '/v1/conversations?limit=5', token: admin.token }),
      () => ({ action: 'conversation.search', actor: asAdmin(), detail: { filters: '', searched: false, count: 1 } })],
    ...(['masking', 'routing', 'widget-config', 'rules', 'surveys', 'security'] as const).flatMap((doc): Row[] => [
      [`${doc} replaced`,
        async () => {
          const current = await callRest(relay, { url: `/v1/${doc}`, token: key.secret })
          expect(current.status, current.raw).toBe(200)
          return callRest(relay, { method: 'PUT', url: `/v1/${doc}`, token: key.secret, body: current.body })
        },
        () => ({ action: 'config.change', actor: asKey(), resource: { type: 'config', id: doc }, detail: { document: doc, how: 'replace' } })],
    ]),
    ['security settings patched',
      () => callRest(relay, { method: 'PATCH', url: '/v1/security', token: key.secret, body: { auditRetentionDays: 400, addresses: 'full' }, headers: mergePatch }),
      () => ({ action: 'config.change', resource: { type: 'config', id: 'security' }, detail: { document: 'security', how: 'patch', fields: 'addresses,auditRetentionDays' } })],
    ['business hours saved',
      () => callRest(relay, { method: 'PUT', url: '/v1/business-hours', token: key.secret, body: { timeZone: 'UTC', weekly: {} } }),
      () => ({ action: 'config.change', resource: { type: 'config', id: 'business-hours' }, detail: { document: 'business-hours', how: 'replace' } })],
    ['business hours removed',
      () => callRest(relay, { method: 'DELETE', url: '/v1/business-hours', token: key.secret }),
      () => ({ action: 'config.change', resource: { type: 'config', id: 'business-hours' }, detail: { document: 'business-hours', how: 'remove' } })],
    ['the brand renamed',
      () => callRest(relay, { method: 'PATCH', url: '/v1/brand', token: key.secret, body: { name: 'Renamed brand' } }),
      () => ({ action: 'config.change', resource: { type: 'config', id: 'brand' }, detail: { document: 'brand', how: 'patch', fields: 'name' } })],
    ['a masking run started',
      () => callRest(relay, { method: 'POST', url: '/v1/masking/runs', token: key.secret, body: {} }),
      () => ({ action: 'config.change', resource: { type: 'masking-run', id: expect.any(String) as unknown as string }, detail: { document: 'masking-run', how: 'start' } })],
    // The other slices' actions, through the same log: each still one entry.
    ['a sign-in',
      () => signIn(plain.email, plain.password),
      () => ({ action: 'session.sign_in', actor: { kind: 'agent', id: plain.agentId }, resource: { type: 'session', id: expect.any(String) as unknown as string } })],
    ['a failed sign-in to an existing account',
      () => signIn(plain.email, 'wrong password entirely'),
      () => ({ action: 'session.sign_in_failed', actor: { kind: 'agent', id: plain.agentId }, outcome: 'failed' })],
    ['a failed sign-in to no account',
      () => signIn('nobody@agents.example', 'wrong password entirely'),
      () => ({ action: 'session.sign_in_failed', actor: { kind: 'anonymous', id: null }, outcome: 'failed' })],
    ['a sign-out',
      () => callRest(relay, { method: 'DELETE', url: '/v1/agent/sessions/current', token: made.token! }),
      () => ({ action: 'session.sign_out', actor: { kind: 'agent', id: plain.agentId }, resource: { type: 'session', id: made.sessionId! } }),
      async () => { ({ token: made.token, sessionId: made.sessionId } = (await signIn(plain.email, plain.password)).body) }],
    ['an API key created',
      async () => {
        const res = await callRest(relay, { method: 'POST', url: '/v1/keys', token: key.secret, body: { name: 'ci', scopes: ['config:read'] } })
        made.keyId = res.body?.key?.keyId
        return res
      },
      () => ({ action: 'key.create', actor: asKey(), resource: { type: 'key', id: made.keyId! } })],
    ['an API key rotated',
      () => callRest(relay, { method: 'POST', url: `/v1/keys/${made.keyId}/rotate`, token: key.secret, body: { graceSeconds: 0 } }),
      () => ({ action: 'key.rotate', actor: asKey() })],
    ['an API key revoked',
      () => callRest(relay, { method: 'DELETE', url: `/v1/keys/${made.revokedKeyId}`, token: key.secret }),
      () => ({ action: 'key.revoke', resource: { type: 'key', id: made.revokedKeyId! } }),
      async () => {
        const res = await callRest(relay, { method: 'POST', url: '/v1/keys', token: key.secret, body: { name: 'short-lived', scopes: ['config:read'] } })
        made.revokedKeyId = res.body.key.keyId
      }],
    ['an account created',
      async () => {
        const res = await callRest(relay, { method: 'POST', url: '/v1/agents', token: admin.token, body: { email: `${randomBytes(4).toString('hex')}@agents.example`, name: 'New', password: 'correct horse battery', role: 'agent' } })
        made.agentId = res.body?.agentId
        return res
      },
      () => ({ action: 'account.create', actor: asAdmin(), resource: { type: 'agent', id: made.agentId! } })],
    ['an account\'s role changed',
      () => callRest(relay, { method: 'PATCH', url: `/v1/agents/${made.agentId}`, token: admin.token, body: { role: 'supervisor' } }),
      () => ({ action: 'account.change', resource: { type: 'agent', id: made.agentId! }, detail: { fields: 'role', role: 'supervisor' } })],
    ['an account deactivated',
      () => callRest(relay, { method: 'PATCH', url: `/v1/agents/${made.agentId}`, token: admin.token, body: { active: false } }),
      () => ({ action: 'account.deactivate', resource: { type: 'agent', id: made.agentId! } })],
    ['an account reactivated',
      () => callRest(relay, { method: 'PATCH', url: `/v1/agents/${made.agentId}`, token: admin.token, body: { active: true } }),
      () => ({ action: 'account.reactivate', resource: { type: 'agent', id: made.agentId! } })],
    ['a session revoked by an admin',
      () => callRest(relay, { method: 'DELETE', url: `/v1/sessions/${made.sessionId}`, token: admin.token }),
      () => ({ action: 'session.revoke', actor: asAdmin(), resource: { type: 'session', id: made.sessionId! } }),
      async () => { ({ token: made.token, sessionId: made.sessionId } = (await signIn(plain.email, plain.password)).body) }],
    ['an identity secret created',
      async () => {
        const res = await callRest(relay, { method: 'POST', url: '/v1/identity/secrets', token: key.secret, body: {} })
        made.secretId = res.body?.secretId
        return res
      },
      () => ({ action: 'identity.change', resource: { type: 'identity-secret', id: made.secretId! } })],
    ['an identity secret deleted',
      () => callRest(relay, { method: 'DELETE', url: `/v1/identity/secrets/${made.secretId}`, token: key.secret }),
      () => ({ action: 'identity.change', resource: { type: 'identity-secret', id: made.secretId! } })],
    ['identity keys set in the security settings (one config.change, no second entry)',
      () => callRest(relay, { method: 'PATCH', url: '/v1/security', token: key.secret, body: { identity: { issuer: 'https://shop.example' } }, headers: mergePatch }),
      () => ({ action: 'config.change', resource: { type: 'config', id: 'security' }, detail: { fields: 'identity' } })],
    ['an agent without the admin role refused the audit log',
      () => callRest(relay, { url: '/v1/audit', token: plain.token }),
      () => ({ action: 'access.denied', actor: { kind: 'agent', id: plain.agentId }, outcome: 'denied', code: 'PARLEY_ERR_AUTH_ROLE', detail: { action: 'audit.read' } })],
  ]

  it.each(ROWS)('%s leaves exactly one entry', async (_name, trigger, expected, setup) => {
    await setup?.()
    const { res, fresh } = await added(trigger)
    expect(res.status, res.raw).toBeLessThan(500)
    if (!_name.includes('failed') && !_name.includes('refused')) expect(res.status, res.raw).toBeLessThan(300)
    expect(fresh, JSON.stringify(fresh)).toHaveLength(1)
    const { detail, ...fields } = expected()
    expect(fresh[0]).toMatchObject(fields)
    if (detail) expect(fresh[0]!.detail).toMatchObject(detail)
    expect(fresh[0]!.at).toBeGreaterThan(0)
  })

  it('a refused change leaves no entry and changes nothing', async () => {
    const { res, fresh } = await added(() => callRest(relay, { method: 'PUT', url: '/v1/security', token: key.secret, body: { addresses: 'everything' } }))
    expectErrorBody(res, 'PARLEY_ERR_REQUEST_INVALID')
    expect(fresh).toEqual([])
  })

  it('keeps the address as the brand\'s setting says', async () => {
    for (const [setting, pattern] of [['full', /^127\.0\.0\.1$/], ['truncated', /^127\.0\.0\.0\/24$/], ['none', null]] as const) {
      const saved = await callRest(relay, { method: 'PATCH', url: '/v1/security', token: key.secret, body: { addresses: setting }, headers: mergePatch })
      expect(saved.status, saved.raw).toBe(200)
      const { fresh } = await added(() => callRest(relay, { url: `/v1/conversations/${convId}`, token: key.secret }))
      if (pattern === null) expect(fresh[0]!.address).toBeNull()
      else expect(fresh[0]!.address).toMatch(pattern)
    }
  })

  describe('GET /v1/audit', () => {
    it('answers newest first and filters by actor, action and time', async () => {
      const all = await callRest(relay, { url: '/v1/audit?limit=500', token: key.secret })
      expect(all.status, all.raw).toBe(200)
      const list = all.body.entries as AuditEntry[]
      expect(list.length).toBeGreaterThan(10)
      expect(list.map((e) => e.at)).toEqual([...list.map((e) => e.at)].sort((a, b) => b - a))

      const byAction = await callRest(relay, { url: '/v1/audit?action=config.change', token: key.secret })
      expect(byAction.body.entries.length).toBeGreaterThan(0)
      expect(byAction.body.entries.every((e: AuditEntry) => e.action === 'config.change')).toBe(true)

      const byActor = await callRest(relay, { url: `/v1/audit?actorKind=agent&actorId=${admin.agentId}`, token: admin.token })
      expect(byActor.status, byActor.raw).toBe(200)
      expect(byActor.body.entries.length).toBeGreaterThan(0)
      expect(byActor.body.entries.every((e: AuditEntry) => e.actor.id === admin.agentId)).toBe(true)

      const pivot = list[Math.floor(list.length / 2)]!.at
      const from = await callRest(relay, { url: `/v1/audit?limit=500&from=${pivot}`, token: key.secret })
      const to = await callRest(relay, { url: `/v1/audit?limit=500&to=${pivot}`, token: key.secret })
      expect(from.body.entries.every((e: AuditEntry) => e.at >= pivot)).toBe(true)
      expect(to.body.entries.every((e: AuditEntry) => e.at < pivot)).toBe(true)
      // The two halves are the whole (the reads above were themselves not audited).
      expect(from.body.entries.length + to.body.entries.length).toBe(list.length)
    })

    it('pages with the cursor, every entry once, in order', async () => {
      const whole = (await callRest(relay, { url: '/v1/audit?limit=500', token: key.secret })).body.entries as AuditEntry[]
      const paged: AuditEntry[] = []
      let cursor: string | null = null
      let pages = 0
      do {
        const res = await callRest(relay, { url: `/v1/audit?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, token: key.secret })
        expect(res.status, res.raw).toBe(200)
        expect(res.body.entries.length).toBeLessThanOrEqual(3)
        paged.push(...res.body.entries)
        cursor = res.body.next
        pages++
      } while (cursor !== null && pages < 1000)
      expect(paged.map((e) => e.entryId)).toEqual(whole.map((e) => e.entryId))
    })

    it('walks every page with the SDK', async () => {
      const parley = new Parley({ relay: relay.url, apiKey: key.secret })
      const whole = (await callRest(relay, { url: '/v1/audit?limit=500', token: key.secret })).body.entries as AuditEntry[]
      const seen: string[] = []
      for await (const e of parley.audit.list({ limit: 4 })) seen.push(e.entryId)
      expect(seen).toEqual(whole.map((e) => e.entryId))
      let pages = 0
      for await (const page of parley.audit.list({ limit: 4, action: 'config.change' }).pages()) {
        pages++
        expect(page.entries.every((e) => e.action === 'config.change')).toBe(true)
      }
      expect(pages).toBeGreaterThan(1)
    })

    it('reads and changes the security settings with the SDK', async () => {
      const parley = new Parley({ relay: relay.url, apiKey: key.secret })
      expect(await parley.security.set({ addresses: 'truncated', auditRetentionDays: 90 })).toEqual({ addresses: 'truncated', auditRetentionDays: 90 })
      expect(await parley.security.update({ auditRetentionDays: null })).toEqual({ addresses: 'truncated' })
      expect(await parley.security.get()).toEqual({ addresses: 'truncated' })
    })

    it('refuses an agent without the admin role with AUTH_ROLE', async () => {
      expectErrorBody(await callRest(relay, { url: '/v1/audit', token: plain.token }), 'PARLEY_ERR_AUTH_ROLE')
    })

    it('refuses a key without audit:read with AUTH_SCOPE, and records the refusal', async () => {
      const narrow = await keyWith(relay, brand.brandId, ALL_SCOPES.filter((s) => s !== 'audit:read'))
      const { res, fresh } = await added(() => callRest(relay, { url: '/v1/audit', token: narrow.secret }))
      expectErrorBody(res, 'PARLEY_ERR_AUTH_SCOPE')
      expect(fresh).toHaveLength(1)
      expect(fresh[0]).toMatchObject({ action: 'access.denied', actor: { kind: 'key', id: narrow.keyId }, code: 'PARLEY_ERR_AUTH_SCOPE' })
    })

    it('refuses a bad query with a typed error', async () => {
      expectErrorBody(await callRest(relay, { url: '/v1/audit?action=nonsense', token: key.secret }), 'PARLEY_ERR_REQUEST_INVALID')
      expectErrorBody(await callRest(relay, { url: '/v1/audit?limit=0', token: key.secret }), 'PARLEY_ERR_REQUEST_INVALID')
      expectErrorBody(await callRest(relay, { url: '/v1/audit?from=20&to=10', token: key.secret }), 'PARLEY_ERR_REQUEST_INVALID')
      expectErrorBody(await callRest(relay, { url: '/v1/audit?cursor=abc', token: key.secret }), 'PARLEY_ERR_REQUEST_INVALID')
      expectErrorBody(await callRest(relay, { url: '/v1/audit?actorKind=robot', token: key.secret }), 'PARLEY_ERR_REQUEST_INVALID')
    })
  })

  it('never holds message text: no stored audit row, in any column, nor the relay log', async () => {
    // Read and search the transcript every way there is, with the secret words in the searches.
    for (const word of SECRET_WORDS) {
      expect((await callRest(relay, { url: `/v1/conversations?q=${word}`, token: key.secret })).status).toBe(200)
      expect((await callRest(relay, { url: `/v1/conversations?q=${word}`, token: admin.token })).status).toBe(200)
    }
    const transcript = await callRest(relay, { url: `/v1/conversations/${convId}/messages`, token: admin.token })
    expect(transcript.raw).toContain(SECRET_WORDS[0])
    const parley = new Parley({ relay: relay.url, apiKey: key.secret })
    await parley.conversations.transcript(convId)

    const db = new Database(databaseFile(relay.dataDir), { readonly: true, fileMustExist: true })
    try {
      const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '%audit%'").all() as { name: string }[]).map((t) => t.name)
      expect(tables.length).toBeGreaterThan(0)
      let rows = 0
      for (const table of tables) {
        for (const row of db.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[]) {
          rows++
          const text = Object.values(row).map((v) => (Buffer.isBuffer(v) ? v.toString('utf8') : String(v))).join(' ').toLowerCase()
          for (const word of SECRET_WORDS) expect(text, `${table} row holds ${word}`).not.toContain(word)
        }
      }
      expect(rows).toBeGreaterThan(20)
    } finally {
      db.close()
    }
    const logged = logLines.join('').toLowerCase()
    expect(logged.length).toBeGreaterThan(0)
    for (const word of SECRET_WORDS) expect(logged).not.toContain(word)
  })
})
