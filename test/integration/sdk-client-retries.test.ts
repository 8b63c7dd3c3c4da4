import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { performance } from 'node:perf_hooks'
import { afterEach, describe, expect, it } from 'vitest'
import {
  APIConnectionError, ConflictError, InvalidRequestError, Parley, ParleyError, RateLimitError, ServerError, TimeoutError,
} from '@parley/sdk'
import { until } from '../helpers/until.js'

// Retries, idempotency keys, timeouts and aborts need a relay that fails on cue: a small HTTP server
// on port 0 answers each request as the test scripts it and records what arrived (a test double for
// the network, not for a component of ours).

interface Seen { method: string; url: string; headers: IncomingHttpHeaders; body: string; at: number }
type Reply = (res: ServerResponse) => void

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => (res) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body))
}
const error = (status: number, code: string, retryable: boolean, headers: Record<string, string> = {}) =>
  json(status, { code, message: `${code} on cue`, retryable, requestId: `req-${code}` }, headers)
/** Never answers (the test's abort or timeout ends it). */
const hang: Reply = () => {}
/** Drops the connection without an answer. */
const drop: Reply = (res) => { res.socket?.destroy() }

async function scriptedRelay(script: Reply[], after: Reply = json(200, { ok: true })) {
  const seen: Seen[] = []
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => { body += c.toString() })
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body, at: performance.now() })
      ;(script.shift() ?? after)(res)
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const close = () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()) })
  return { url, seen, close }
}

const open: { close(): Promise<void> }[] = []
afterEach(async () => { for (const s of open.splice(0)) await s.close() })
async function relayScripted(script: Reply[], after?: Reply) {
  const r = await scriptedRelay(script, after)
  open.push(r)
  return r
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(() => { throw new Error('expected a rejection') }, (e: unknown) => e)
}

const agent = { email: 'a@agents.example', name: 'A', password: 'correct horse battery' }

describe('SDK retries and idempotency', () => {
  it('waits the Retry-After a 503 asked for, then retries with the same Idempotency-Key', async () => {
    const relay = await relayScripted([error(503, 'PARLEY_ERR_SERVER_STORE', true, { 'retry-after': '1' })], json(201, { agentId: 'a1' }))
    const parley = new Parley({ relay: relay.url, apiKey: 'k' })
    expect(await parley.agents.create(agent)).toEqual({ agentId: 'a1' })
    expect(relay.seen).toHaveLength(2)
    const [first, second] = relay.seen as [Seen, Seen]
    expect(first.headers['idempotency-key']).toMatch(/^parley-[A-Za-z0-9_-]{24}$/)
    expect(second.headers['idempotency-key']).toBe(first.headers['idempotency-key'])
    expect(second.body).toBe(first.body)
    // A lower bound the client guarantees, not a measure of speed: it must not come back sooner.
    expect(second.at - first.at).toBeGreaterThanOrEqual(990)
  })

  it('retries a POST whose connection dropped, with the same key, and a 409 still in progress', async () => {
    const relay = await relayScripted([drop, error(409, 'PARLEY_ERR_REQUEST_IDEMPOTENCY_IN_PROGRESS', true, { 'retry-after-ms': '10' })], json(201, { agentId: 'a2' }))
    const parley = new Parley({ relay: relay.url, apiKey: 'k' })
    expect(await parley.agents.create(agent)).toEqual({ agentId: 'a2' })
    expect(relay.seen).toHaveLength(3)
    expect(new Set(relay.seen.map((s) => s.headers['idempotency-key'])).size).toBe(1)
  })

  it('makes a new key per call, uses the caller\'s when given, and sends none on a GET', async () => {
    const relay = await relayScripted([], json(200, {}))
    const parley = new Parley({ relay: relay.url, apiKey: 'k' })
    await parley.widgetConfig.set({})
    await parley.widgetConfig.update({ color: '#123456' })
    await parley.widgetConfig.update({ color: '#123456' }, { idempotencyKey: 'brand-chosen-1' })
    await parley.widgetConfig.get()
    const keys = relay.seen.map((s) => s.headers['idempotency-key'])
    expect(keys[0]).not.toBe(keys[1])
    expect(keys[2]).toBe('brand-chosen-1')
    expect(keys[3]).toBeUndefined()
    expect(relay.seen[1]!.headers['content-type']).toBe('application/merge-patch+json')
    expect(relay.seen[0]!.headers['content-type']).toBe('application/json')
    expect(relay.seen[0]!.headers.authorization).toBe('Bearer k')
  })

  it('does not retry what the relay says cannot succeed: one request, typed error', async () => {
    const relay = await relayScripted([error(400, 'PARLEY_ERR_REQUEST_INVALID', false), error(503, 'PARLEY_ERR_SERVER_FUTURE', false)])
    const parley = new Parley({ relay: relay.url, apiKey: 'k' })
    const invalid = await rejection(parley.agents.create(agent))
    expect(invalid).toBeInstanceOf(InvalidRequestError)
    expect(relay.seen).toHaveLength(1)
    // The body's retryable wins over the status: this 503 said no.
    const server = await rejection(parley.agents.create(agent))
    expect(server).toBeInstanceOf(ServerError)
    expect(server).toMatchObject({ code: 'PARLEY_ERR_SERVER_FUTURE', retryable: false, requestId: 'req-PARLEY_ERR_SERVER_FUTURE' })
    expect(relay.seen).toHaveLength(2)
  })

  it('gives up after maxRetries with the last error: RateLimitError carrying retryAfterMs', async () => {
    const limited = error(429, 'PARLEY_ERR_LIMIT_RATE', true, { 'retry-after-ms': '20' })
    const relay = await relayScripted([], limited)
    const err = await rejection(new Parley({ relay: relay.url, apiKey: 'k' }).brand.get())
    expect(err).toBeInstanceOf(RateLimitError)
    expect(err).toMatchObject({ code: 'PARLEY_ERR_LIMIT_RATE', status: 429, retryable: true, retryAfterMs: 20 })
    expect(relay.seen).toHaveLength(3)
    await rejection(new Parley({ relay: relay.url, apiKey: 'k', maxRetries: 0 }).brand.get())
    expect(relay.seen).toHaveLength(4)
    await rejection(new Parley({ relay: relay.url, apiKey: 'k', maxRetries: 0 }).brand.get({ maxRetries: 1 }))
    expect(relay.seen).toHaveLength(6)
  })

  it('hands a wait longer than a minute to the caller instead of sleeping through it', async () => {
    const relay = await relayScripted([error(429, 'PARLEY_ERR_LIMIT_RATE', true, { 'retry-after': '120' })])
    const err = await rejection(new Parley({ relay: relay.url, apiKey: 'k' }).brand.get())
    expect(err).toBeInstanceOf(RateLimitError)
    expect((err as RateLimitError).retryAfterMs).toBe(120_000)
    expect(relay.seen).toHaveLength(1)
  })
})

describe('SDK timeouts and aborts', () => {
  it('times out each attempt after timeoutMs and retries it, then throws TimeoutError', async () => {
    const relay = await relayScripted([], hang)
    const parley = new Parley({ relay: relay.url, apiKey: 'k', timeoutMs: 100, maxRetries: 1 })
    const err = await rejection(parley.brand.get())
    expect(err).toBeInstanceOf(TimeoutError)
    expect(err).toBeInstanceOf(APIConnectionError)
    expect(err).toMatchObject({ code: 'PARLEY_ERR_CONNECTION_TIMEOUT', status: null, retryable: true, requestId: null })
    expect(relay.seen).toHaveLength(2)
  })

  it('rejects an aborted call with the abort reason and never retries it', async () => {
    const relay = await relayScripted([], hang)
    const parley = new Parley({ relay: relay.url, apiKey: 'k', maxRetries: 5 })
    const controller = new AbortController()
    const reason = new Error('the operator pressed stop')
    const call = rejection(parley.agents.create(agent, { signal: controller.signal }))
    await until(() => relay.seen.length === 1)
    controller.abort(reason)
    expect(await call).toBe(reason)
    expect(relay.seen).toHaveLength(1)
  })

  it('rejects at once, sending nothing, when the signal is already aborted', async () => {
    const relay = await relayScripted([])
    const controller = new AbortController()
    controller.abort('already')
    expect(await rejection(new Parley({ relay: relay.url, apiKey: 'k' }).brand.get({ signal: controller.signal }))).toBe('already')
    expect(relay.seen).toHaveLength(0)
  })

  it('stops waiting to retry when aborted during the backoff', async () => {
    const relay = await relayScripted([error(503, 'PARLEY_ERR_SERVER_STORE', true, { 'retry-after': '30' })])
    const controller = new AbortController()
    const call = rejection(new Parley({ relay: relay.url, apiKey: 'k', signal: controller.signal }).brand.get())
    await until(() => relay.seen.length === 1)
    controller.abort('shutting down')
    expect(await call).toBe('shutting down')
    expect(relay.seen).toHaveLength(1)
  })

  it('aborts every call of a client through the client\'s signal', async () => {
    const relay = await relayScripted([], hang)
    const controller = new AbortController()
    const parley = new Parley({ relay: relay.url, apiKey: 'k', signal: controller.signal })
    const calls = [rejection(parley.brand.get()), rejection(parley.masking.get())]
    await until(() => relay.seen.length === 2)
    controller.abort('closing')
    expect(await Promise.all(calls)).toEqual(['closing', 'closing'])
  })

  it('throws APIConnectionError when nothing listens', async () => {
    const relay = await scriptedRelay([])
    await relay.close()
    const err = await rejection(new Parley({ relay: relay.url, apiKey: 'k', maxRetries: 0 }).brand.get())
    expect(err).toBeInstanceOf(APIConnectionError)
    expect(err).toMatchObject({ code: 'PARLEY_ERR_CONNECTION_LOST', retryable: true })
    expect((err as Error).message).toContain('ECONNREFUSED')
  })
})

describe('SDK construction and conflicts', () => {
  it('refuses to send an API key over plain http off this machine', () => {
    expect(() => new Parley({ relay: 'http://chat.example.com', apiKey: 'k' })).toThrow(ParleyError)
    try {
      new Parley({ relay: 'http://chat.example.com', apiKey: 'k' })
    } catch (e) {
      expect((e as ParleyError).code).toBe('PARLEY_ERR_CONNECTION_INSECURE')
    }
    expect(() => new Parley({ relay: 'https://chat.example.com/', apiKey: 'k' })).not.toThrow()
    expect(() => new Parley({ relay: 'http://localhost:8080', apiKey: 'k' })).not.toThrow()
    expect(() => new Parley({ relay: 'http://localhost.evil.example', apiKey: 'k' })).toThrow(ParleyError)
    expect(() => new Parley({ relay: 'http://localhost@evil.example', apiKey: 'k' })).toThrow(ParleyError)
    expect(() => new Parley({ relay: 'chat.example.com', apiKey: 'k' })).toThrow(/base URL/)
    expect(() => new Parley({ relay: 'https://chat.example.com', apiKey: '' })).toThrow(/apiKey/)
  })

  it('keeps a path in the relay URL (a proxy serving the relay under one)', async () => {
    const relay = await relayScripted([], json(200, {}))
    await new Parley({ relay: `${relay.url}/chat/`, apiKey: 'k' }).conversations.list({ status: 'open', limit: 5 }).pages().next()
    expect(relay.seen[0]!.url).toBe('/chat/v1/conversations?status=open&limit=5')
  })

  it('throws a 409 the body calls final as ConflictError without retrying it', async () => {
    const relay = await relayScripted([error(409, 'PARLEY_ERR_TENANT_EXISTS', false)])
    expect(await rejection(new Parley({ relay: relay.url, apiKey: 'k' }).agents.create(agent))).toBeInstanceOf(ConflictError)
    expect(relay.seen).toHaveLength(1)
  })
})
