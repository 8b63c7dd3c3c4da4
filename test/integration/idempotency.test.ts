import { createHash, randomBytes } from 'node:crypto'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand, type TestBrand } from '../helpers/brand.js'
import { callRest } from '../helpers/rest.js'
import { expectErrorBody } from '../helpers/expect-error.js'
import { createFakeClock } from '../helpers/fake-clock.js'
import { until } from '../helpers/until.js'
import { databaseFile } from '../../server/src/data-dir.js'
import { IDEMPOTENCY_KEY_TTL_MS, isIdempotentRoute } from '../../server/src/plugins/rest/idempotency.js'

// Idempotency-Key on POST /v1/…: one key, one outcome, replayed for 24 h per brand and caller.

const newAgent = () => ({ email: `${randomBytes(4).toString('hex')}@agents.example`, name: 'Ada', password: 'correct horse battery' })
const newKey = () => `key-${randomBytes(8).toString('hex')}`

describe('Idempotency-Key', () => {
  const clock = createFakeClock()
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay({ clock }) })
  afterAll(async () => { await relay.close() })

  const createAgent = (brand: Pick<TestBrand, 'apiKey'>, body: unknown, key?: string) =>
    callRest(relay, { method: 'POST', url: '/v1/agents', token: brand.apiKey, body, ...(key !== undefined ? { headers: { 'idempotency-key': key } } : {}) })
  const agentCount = async (brand: TestBrand) => (await relay.deps.store.listAgents(brand.brandId, 100)).length


  /**
   * Holds the store's first agent write until `release()`: a request that is still running. Counts
   * the writes that reached the store and those that finished; `restore()` undoes it.
   */
  function holdFirstAgentWrite() {
    const store = relay.deps.store
    const original = store.createAgent
    let release!: () => void
    const gate = new Promise<void>((r) => { release = r })
    const state = {
      held: 0,
      written: 0,
      release: () => release(),
      restore: () => { release(); store.createAgent = original },
    }
    store.createAgent = async (a) => {
      if (state.held++ === 0) await gate
      const r = await original.call(store, a)
      state.written++
      return r
    }
    return state
  }
  it('replays the first answer to the same request: one agent, the same body, Idempotent-Replayed', async () => {
    const brand = await createTestBrand(relay)
    const key = newKey()
    const body = newAgent()
    const first = await createAgent(brand, body, key)
    expect(first.status, first.raw).toBe(201)
    expect(first.headers['idempotent-replayed']).toBeUndefined()
    const second = await createAgent(brand, body, key)
    expect(second.status).toBe(201)
    expect(second.body).toEqual(first.body)
    expect(second.headers['idempotent-replayed']).toBe('true')
    expect(String(second.headers['content-type'])).toMatch(/^application\/json/)
    expect(await agentCount(brand)).toBe(1)
  })

  it('runs the same request again without a key (and answers 409 PARLEY_ERR_TENANT_EXISTS then)', async () => {
    const brand = await createTestBrand(relay)
    const body = newAgent()
    expect((await createAgent(brand, body)).status).toBe(201)
    expectErrorBody(await createAgent(brand, body), 'PARLEY_ERR_TENANT_EXISTS')
  })

  it('replays a stored non-retryable error too: the second call with the key gets the same 409', async () => {
    const brand = await createTestBrand(relay)
    const body = newAgent()
    expect((await createAgent(brand, body)).status).toBe(201)
    const key = newKey()
    const first = await createAgent(brand, body, key)
    expectErrorBody(first, 'PARLEY_ERR_TENANT_EXISTS')
    const again = await createAgent(brand, body, key)
    expect(again.body).toEqual(first.body)
    expect(again.headers['idempotent-replayed']).toBe('true')
  })

  it('answers the key reused for another body with 422 PARLEY_ERR_REQUEST_IDEMPOTENCY_MISMATCH and creates nothing', async () => {
    const brand = await createTestBrand(relay)
    const key = newKey()
    expect((await createAgent(brand, newAgent(), key)).status).toBe(201)
    const res = await createAgent(brand, newAgent(), key)
    expectErrorBody(res, 'PARLEY_ERR_REQUEST_IDEMPOTENCY_MISMATCH')
    expect(await agentCount(brand)).toBe(1)
  })

  it('answers the key reused on another route with 422 PARLEY_ERR_REQUEST_IDEMPOTENCY_MISMATCH', async () => {
    const brand = await createTestBrand(relay)
    const key = newKey()
    expect((await createAgent(brand, newAgent(), key)).status).toBe(201)
    const res = await callRest(relay, { method: 'POST', url: '/v1/agents?x=1', token: brand.apiKey, body: newAgent(), headers: { 'idempotency-key': key } })
    expectErrorBody(res, 'PARLEY_ERR_REQUEST_IDEMPOTENCY_MISMATCH')
  })

  it('answers a second request while the first runs with a retryable 409 PARLEY_ERR_REQUEST_IDEMPOTENCY_IN_PROGRESS', async () => {
    const brand = await createTestBrand(relay)
    const key = newKey()
    const body = newAgent()
    // The first request's write waits (the slow disk case) until the second has been answered.
    const gate = holdFirstAgentWrite()
    try {
      const first = createAgent(brand, body, key)
      await until(() => gate.held === 1, 'the first request to reach the store')
      const second = await createAgent(brand, body, key)
      expectErrorBody(second, 'PARLEY_ERR_REQUEST_IDEMPOTENCY_IN_PROGRESS')
      expect(second.body.retryable).toBe(true)
      expect(second.headers['retry-after']).toBe('1')
      gate.release()
      expect((await first).status).toBe(201)
    } finally {
      gate.restore()
    }
    expect(gate.held).toBe(1)
    const third = await createAgent(brand, body, key)
    expect(third.status).toBe(201)
    expect(third.headers['idempotent-replayed']).toBe('true')
    expect(await agentCount(brand)).toBe(1)
  })

  it('keeps the answer of a request whose client gave up before it: the retry gets it, nothing runs twice', async () => {
    const brand = await createTestBrand(relay)
    const key = newKey()
    const body = newAgent()
    const gate = holdFirstAgentWrite()
    try {
      const abort = new AbortController()
      const sent = fetch(`${relay.url}/v1/agents`, {
        method: 'POST', signal: abort.signal, body: JSON.stringify(body),
        headers: { authorization: `Bearer ${brand.apiKey}`, 'content-type': 'application/json', 'idempotency-key': key },
      })
      await until(() => gate.held === 1, 'the request to reach the store')
      abort.abort()
      await expect(sent).rejects.toThrow()
      // Still running after its client left: a retry now must not run it a second time.
      expectErrorBody(await createAgent(brand, body, key), 'PARLEY_ERR_REQUEST_IDEMPOTENCY_IN_PROGRESS')
      gate.release()
      await until(() => gate.written === 1, 'the abandoned request to finish')
      const retry = await until(async () => {
        const r = await createAgent(brand, body, key)
        return r.status === 201 ? r : null
      }, 'the stored answer')
      expect(retry.headers['idempotent-replayed']).toBe('true')
    } finally {
      gate.restore()
    }
    expect(await agentCount(brand)).toBe(1)
  })

  it('lets one of several concurrent requests with one key run; the others get 409 or the replay', async () => {
    const brand = await createTestBrand(relay)
    const key = newKey()
    const body = newAgent()
    const answers = await Promise.all(Array.from({ length: 8 }, () => createAgent(brand, body, key)))
    const fresh = answers.filter((a) => a.status === 201 && a.headers['idempotent-replayed'] === undefined)
    expect(fresh.length).toBe(1)
    for (const a of answers) {
      if (a.status === 201) expect(a.body).toEqual(fresh[0]!.body)
      else expectErrorBody(a, 'PARLEY_ERR_REQUEST_IDEMPOTENCY_IN_PROGRESS')
    }
    expect(await agentCount(brand)).toBe(1)
  })

  it('does not store a 5xx answer: a retry with the key runs the request again', async () => {
    const brand = await createTestBrand(relay)
    const key = newKey()
    const body = newAgent()
    const store = relay.deps.store
    const original = store.createAgent
    store.createAgent = async () => { throw new Error('disk I/O error') }
    try {
      expectErrorBody(await createAgent(brand, body, key), 'PARLEY_ERR_SERVER_INTERNAL')
    } finally {
      store.createAgent = original
    }
    const retry = await createAgent(brand, body, key)
    expect(retry.status, retry.raw).toBe(201)
    expect(retry.headers['idempotent-replayed']).toBeUndefined()
    expect(await agentCount(brand)).toBe(1)
  })

  it('scopes keys per brand: another brand using the same key runs its own request', async () => {
    const a = await createTestBrand(relay)
    const b = await createTestBrand(relay)
    const key = newKey()
    const ra = await createAgent(a, newAgent(), key)
    const rb = await createAgent(b, newAgent(), key)
    expect([ra.status, rb.status]).toEqual([201, 201])
    expect(rb.headers['idempotent-replayed']).toBeUndefined()
    expect(rb.body.brandId).toBe(b.brandId)
  })

  it('scopes keys per API key: another key of the brand using the same key runs its own request', async () => {
    const brand = await createTestBrand(relay)
    const created = await callRest(relay, { method: 'POST', url: '/v1/keys', token: brand.apiKey, body: { name: 'second', scopes: ['agents:write', 'config:read', 'transcripts:read'] } })
    expect(created.status, created.raw).toBe(201)
    const key = newKey()
    const first = await createAgent(brand, newAgent(), key)
    const second = await createAgent({ apiKey: created.body.secret }, newAgent(), key)
    expect([first.status, second.status]).toEqual([201, 201])
    expect(second.headers['idempotent-replayed']).toBeUndefined()
    expect(second.body.agentId).not.toBe(first.body.agentId)
    expect(await agentCount(brand)).toBe(2)
  })

  it('keeps no identity secret for replay: the same key creates a second secret, and nothing is stored', async () => {
    const brand = await createTestBrand(relay)
    const key = newKey()
    const post = () => callRest(relay, { method: 'POST', url: '/v1/identity/secrets', token: brand.apiKey, headers: { 'idempotency-key': key } })
    const first = await post()
    const second = await post()
    expect([first.status, second.status], second.raw).toEqual([201, 201])
    expect(second.headers['idempotent-replayed']).toBeUndefined()
    expect(second.body.secret).not.toBe(first.body.secret)
  })

  it('forgets a key after 24 hours: the key then runs a new request', async () => {
    const brand = await createTestBrand(relay)
    const key = newKey()
    expect((await createAgent(brand, newAgent(), key)).status).toBe(201)
    clock.advance(IDEMPOTENCY_KEY_TTL_MS - 1000)
    expectErrorBody(await createAgent(brand, newAgent(), key), 'PARLEY_ERR_REQUEST_IDEMPOTENCY_MISMATCH')
    clock.advance(1000)
    const later = await createAgent(brand, newAgent(), key)
    expect(later.status, later.raw).toBe(201)
    expect(later.headers['idempotent-replayed']).toBeUndefined()
    expect(await agentCount(brand)).toBe(2)
  })

  it.each([
    ['an empty key', ''],
    ['a key over 255 characters', 'k'.repeat(256)],
    ['a key with a control character', 'abc\tdef'],
  ])('refuses %s with 400 PARLEY_ERR_REQUEST_INVALID naming the header, and creates nothing', async (_what, key) => {
    const brand = await createTestBrand(relay)
    const res = await createAgent(brand, newAgent(), key)
    expectErrorBody(res, 'PARLEY_ERR_REQUEST_INVALID')
    expect(res.body.message).toContain('Idempotency-Key')
    expect(await agentCount(brand)).toBe(0)
  })

  it('accepts a key of exactly 255 printable characters', async () => {
    const brand = await createTestBrand(relay)
    const key = ' !~'.repeat(85)
    expect((await createAgent(brand, newAgent(), key)).status).toBe(201)
  })

  it('checks the credential before the key: a bad API key gets 401 and claims nothing', async () => {
    const brand = await createTestBrand(relay)
    const key = newKey()
    const body = newAgent()
    expectErrorBody(await createAgent({ apiKey: 'sk_' + 'x'.repeat(40) }, body, key), 'PARLEY_ERR_AUTH_TOKEN_INVALID')
    const res = await createAgent(brand, body, key)
    expect(res.status).toBe(201)
    expect(res.headers['idempotent-replayed']).toBeUndefined()
  })

  it('ignores the key on agent login, whose bearer token is never stored', async () => {
    const brand = await createTestBrand(relay)
    const agent = await createTestAgent(relay, brand.brandId)
    const login = () => callRest(relay, {
      method: 'POST', url: '/v1/agent/sessions', body: { brandId: brand.brandId, email: agent.email, password: agent.password }, headers: { 'idempotency-key': 'same-login' },
    })
    const [a, b] = [await login(), await login()]
    expect([a.status, b.status]).toEqual([200, 200])
    expect(b.headers['idempotent-replayed']).toBeUndefined()
    expect(isIdempotentRoute('POST', '/v1/agent/sessions', false)).toBe(false)
  })

  it('replays a masking run start: the same run, not a second one', async () => {
    const brand = await createTestBrand(relay)
    const key = newKey()
    const start = () => callRest(relay, { method: 'POST', url: '/v1/masking/runs', token: brand.apiKey, headers: { 'idempotency-key': key } })
    const first = await start()
    expect(first.status, first.raw).toBe(202)
    const again = await start()
    expect(again.status).toBe(202)
    expect(again.headers['idempotent-replayed']).toBe('true')
    expect(again.body).toEqual(first.body)
  })

  it('covers every POST route under /v1 but those answering with a secret (login, API keys, identity and webhook secrets)', () => {
    const secretAnswers = ['/v1/agent/sessions', '/v1/keys', '/v1/keys/:keyId/rotate', '/v1/identity/secrets', '/v1/webhooks', '/v1/webhooks/:endpointId/rotate-secret']
    const posts = relay.app.parleyRoutes.filter((r) => r.method === 'POST' && r.url.startsWith('/v1/') && !r.websocket)
    expect(posts.length).toBeGreaterThan(1)
    for (const r of posts) expect(isIdempotentRoute(r.method, r.url, r.websocket), r.url).toBe(!secretAnswers.includes(r.url))
  })

  it('lets a browser send the key and read the replay header (CORS)', async () => {
    const brand = await createTestBrand(relay)
    const preflight = await callRest(relay, {
      method: 'OPTIONS', url: '/v1/agents',
      headers: { origin: brand.origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,idempotency-key' },
    })
    expect(String(preflight.headers['access-control-allow-headers']).toLowerCase()).toContain('idempotency-key')
    const res = await callRest(relay, { method: 'POST', url: '/v1/agents', token: brand.apiKey, body: newAgent(), headers: { origin: brand.origin, 'idempotency-key': newKey() } })
    expect(String(res.headers['access-control-expose-headers']).toLowerCase()).toContain('idempotent-replayed')
  })
})

describe('Idempotency-Key in the log', () => {
  it('is never written: not on a first run, a replay or a refusal', async () => {
    const lines: string[] = []
    const relay = await startRelay({ logStream: { write: (line) => { lines.push(line) } } })
    try {
      const brand = await createTestBrand(relay)
      const key = 'SECRET-IDEMPOTENCY-KEY-NEVER-LOGGED'
      const body = newAgent()
      const send = (b: unknown) => callRest(relay, { method: 'POST', url: '/v1/agents', token: brand.apiKey, body: b, headers: { 'idempotency-key': key } })
      expect((await send(body)).status).toBe(201)
      expect((await send(body)).headers['idempotent-replayed']).toBe('true')
      expectErrorBody(await send(newAgent()), 'PARLEY_ERR_REQUEST_IDEMPOTENCY_MISMATCH')
      const text = lines.join('')
      expect(text).toContain('idempotent request replayed')
      expect(text).toContain('idempotency key reused for another request')
      for (const secret of [key, body.email, body.password, brand.apiKey]) expect(text.includes(secret), secret).toBe(false)
    } finally {
      await relay.close()
    }
  })
})

describe('the stored fingerprint of a request', () => {
  /** The fingerprints the relay stored, from its database file. */
  const fingerprints = (relay: TestRelay) => {
    const db = new Database(databaseFile(relay.dataDir), { readonly: true, fileMustExist: true })
    try {
      return db.prepare<[], { fingerprint: string }>('SELECT fingerprint FROM idempotency_keys').all().map((r) => r.fingerprint)
    } finally {
      db.close()
    }
  }

  it('is keyed with the relay secret: not a plain sha-256 of the body, which holds a password', async () => {
    const body = newAgent()
    const key = newKey()
    const stored: string[] = []
    for (const secret of ['first-secret-first-secret-first-secret', 'other-secret-other-secret-other-secret']) {
      const relay = await startRelay({ tokenSecret: Buffer.from(secret) })
      try {
        const brand = await createTestBrand(relay)
        const res = await callRest(relay, { method: 'POST', url: '/v1/agents', token: brand.apiKey, body, headers: { 'idempotency-key': key } })
        expect(res.status, res.raw).toBe(201)
        const found = fingerprints(relay)
        expect(found).toHaveLength(1)
        stored.push(found[0]!)
      } finally {
        await relay.close()
      }
    }
    const plain = [`POST\n/v1/agents\n${JSON.stringify(body)}`, JSON.stringify(body), body.password]
      .flatMap((t) => [createHash('sha256').update(t).digest('base64url'), createHash('sha256').update(t).digest('hex'), createHash('sha256').update(t).digest('base64')])
    for (const f of stored) expect(plain).not.toContain(f)
    // The same request under another secret: another fingerprint.
    expect(stored[0]).not.toBe(stored[1])
  })
})
