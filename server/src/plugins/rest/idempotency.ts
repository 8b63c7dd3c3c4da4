import { createHmac } from 'node:crypto'
import fp from 'fastify-plugin'
import type { FastifyReply, FastifyRequest, onSendHookHandler, preHandlerHookHandler } from 'fastify'
import { ERRORS, isErrorCode } from '@parley/sdk/contract'
import type { Clock } from '../../deps.js'
import type { IdempotencyScope, Store } from '../../store/store.js'
import type { Principal } from '../auth.js'
import { httpError } from '../../errors.js'
import { startPeriodicJob } from '../../periodic-job.js'

// Idempotency-Key on every POST under /v1 (as Stripe does it): the first request with a key runs
// and its answer is stored for 24 hours per brand and caller; the same key with the same request
// gets that answer again (`Idempotent-Replayed: true`), with another request a 422, and while the
// first still runs a retryable 409. Answers that say "try again" (5xx, retryable codes) are not
// stored, so the retry runs. The checks run after each route's own preHandlers: rate limits and
// authentication come first, and the key is scoped to the credential they found.
// Log lines name neither the key nor the body.

/** How long a key's answer is kept and replayed. */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000
/**
 * A key still marked running after this long belongs to a request whose relay stopped mid-way (a
 * crash or kill -9); the next request with it runs. Longer than any request may take.
 */
const ABANDONED_AFTER_MS = 5 * 60 * 1000
const SWEEP_INTERVAL_MS = 15 * 60 * 1000
const KEY_PATTERN = /^[\x20-\x7e]{1,255}$/

/** POST routes under /v1 that ignore Idempotency-Key, with the reason. */
export const NOT_IDEMPOTENT_ROUTES: Readonly<Record<string, string>> = {
  // Its answer is a bearer token, which the relay never stores at rest, so there is nothing to
  // replay; and a login changes nothing a retry could repeat (a retry just gets another token).
  // It also has no credential to scope a key to.
  '/v1/agent/sessions': 'answers with a bearer token, which is never stored',
  // Their answer holds a new API key's secret, which exists only in that answer: kept for replay it
  // would sit at rest in clear for a day. A retried create may leave a key whose secret nobody saw;
  // it is listed, works for no one, and is revoked like any other.
  '/v1/keys': 'answers with an API key secret, which is never stored',
  '/v1/keys/:keyId/rotate': 'answers with an API key secret, which is never stored',
  // Likewise the brand's HS256 identity secret: stored for replay it would sit in clear beside the
  // answers of every other route. A retried create that made one leaves it listed, to be deleted.
  '/v1/identity/secrets': 'answers with an identity signing secret, which is never stored',
  // And a webhook endpoint's signing secret: a retried create leaves an endpoint listed, to be deleted.
  '/v1/webhooks': 'answers with a webhook signing secret, which is never stored for replay',
  '/v1/webhooks/:endpointId/rotate-secret': 'answers with a webhook signing secret, which is never stored for replay',
}

/** Whether a route honours Idempotency-Key. */
export function isIdempotentRoute(method: string, url: string, websocket: boolean): boolean {
  return method === 'POST' && url.startsWith('/v1/') && !websocket && !(url in NOT_IDEMPOTENT_ROUTES)
}

/** Whose keys these are: one API key's answers are never replayed to another key of the brand. */
function callerOf(p: Principal): string {
  return p.kind === 'brand' ? `key:${p.keyId}` : p.kind === 'agent' ? `agent:${p.agentId}` : `visitor:${p.visitorId}`
}

/**
 * The key a relay's fingerprints are made with: derived from its secret (the same on every relay
 * of a cluster and across restarts, so a retry that reaches another relay still matches) and used
 * for this job only.
 */
function fingerprintKeyOf(secret: Buffer): Buffer {
  return createHmac('sha256', secret).update('parley idempotency fingerprint').digest()
}

/**
 * HMAC-SHA-256 of what makes two requests the same request: method, URL (path and query) and body.
 * Keyed, because a body can hold a password (POST /v1/agents) and the fingerprint sits in the
 * database for a day: a plain hash of it could be tried against guesses offline.
 */
function fingerprintOf(key: Buffer, req: FastifyRequest): string {
  return createHmac('sha256', key).update(`${req.method}\n${req.url}\n${JSON.stringify(req.body ?? null)}`).digest('base64url')
}

/** Whether an answer tells the client to try again, so it must not be replayed. */
function isRetryableAnswer(status: number, payload: string): boolean {
  if (status >= 500) return true
  if (status < 400) return false
  try {
    const code = (JSON.parse(payload) as { code?: unknown }).code
    return typeof code === 'string' && isErrorCode(code) && ERRORS[code].retryable
  } catch {
    return true
  }
}

interface Claim { scope: IdempotencyScope; key: string }

/** Adds Idempotency-Key handling to every POST route under /v1 registered after it. */
export const idempotency = fp<{ store: Store; clock: Clock; secret: Buffer }>(async (app, { store, clock, secret }) => {
  const fingerprintKey = fingerprintKeyOf(secret)
  // Requests that claimed a key and have not stored or released it yet.
  const claims = new WeakMap<FastifyRequest, Claim>()

  const claim: preHandlerHookHandler = async function (req: FastifyRequest, reply: FastifyReply) {
    const key = req.headers['idempotency-key']
    if (key === undefined) return
    if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
      throw httpError('PARLEY_ERR_REQUEST_INVALID', 'Idempotency-Key must be 1 to 255 printable ASCII characters')
    }
    const p = req.principal
    if (!p) return
    const scope = { brandId: p.brandId, caller: callerOf(p) }
    const fingerprint = fingerprintOf(fingerprintKey, req)
    const now = clock.now()
    const c = await store.claimIdempotencyKey(scope, key, fingerprint, now, now - IDEMPOTENCY_KEY_TTL_MS, now - ABANDONED_AFTER_MS)
    if (c.claimed) {
      claims.set(req, { scope, key })
      return
    }
    const shown = JSON.stringify(key.slice(0, 64))
    if (c.record.fingerprint !== fingerprint) {
      req.log.warn({ brandId: p.brandId }, 'idempotency key reused for another request')
      throw httpError('PARLEY_ERR_REQUEST_IDEMPOTENCY_MISMATCH', shown)
    }
    if (c.record.status === null || c.record.body === null) {
      void reply.header('retry-after', '1')
      throw httpError('PARLEY_ERR_REQUEST_IDEMPOTENCY_IN_PROGRESS', shown)
    }
    req.log.info({ brandId: p.brandId, status: c.record.status }, 'idempotent request replayed')
    return reply.code(c.record.status)
      .header('content-type', 'application/json; charset=utf-8')
      .header('idempotent-replayed', 'true')
      .send(c.record.body)
  }

  const record: onSendHookHandler = async function (req, reply, payload) {
    const c = claims.get(req)
    if (!c) return payload
    claims.delete(req)
    try {
      if (typeof payload !== 'string' || isRetryableAnswer(reply.statusCode, payload)) await store.releaseIdempotencyKey(c.scope, c.key)
      else await store.completeIdempotencyKey(c.scope, c.key, reply.statusCode, payload)
    } catch (err) {
      // The answer still goes out; the key stays marked running until it counts as abandoned.
      req.log.error({ err, brandId: c.scope.brandId }, 'idempotency record not stored')
    }
    return payload
  }

  // An answer that went out without passing `record` (an earlier onSend hook failed) lets the key
  // go. A client that leaves while its request runs does not: the request goes on, and its answer
  // is stored for the retry (a release then would let the retry run it a second time).
  const forget = async (req: FastifyRequest) => {
    const c = claims.get(req)
    if (!c) return
    claims.delete(req)
    await store.releaseIdempotencyKey(c.scope, c.key).catch((err: Error) => req.log.error({ err }, 'idempotency key not released'))
  }

  app.addHook('onRoute', (route) => {
    const methods = [route.method].flat()
    if (!methods.some((m) => isIdempotentRoute(m, route.url, Boolean((route as { websocket?: boolean }).websocket)))) return
    // Last, after the route's own preHandlers (authentication among them).
    route.preHandler = [...[route.preHandler ?? []].flat(), claim]
    route.onSend = [...[route.onSend ?? []].flat(), record]
    route.onResponse = [...[route.onResponse ?? []].flat(), forget]
  })

  const job = startPeriodicJob(SWEEP_INTERVAL_MS, async () => {
    const n = await store.sweepIdempotencyKeys(clock.now() - IDEMPOTENCY_KEY_TTL_MS)
    if (n > 0) app.log.info({ deleted: n }, 'expired idempotency keys swept')
  }, (err: unknown) => app.log.warn({ err }, 'idempotency key sweep failed'))
  app.addHook('onReady', async () => { job.runNow() })
  // A sweep in flight finishes before the store closes.
  app.addHook('onClose', async () => { await job.stop() })
}, { name: 'parley-idempotency', fastify: '5.x' })
