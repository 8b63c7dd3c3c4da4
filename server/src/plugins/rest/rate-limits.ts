import fp from 'fastify-plugin'
import rateLimit from '@fastify/rate-limit'
import type { FastifyReply } from 'fastify'
import type { Limits } from '@parley/sdk/contract'
import { httpError } from '../../errors.js'
import { addressKey } from '../../address-key.js'
import type { WindowCounter } from '../../window-counter.js'
import { sharedRateLimitStore } from './rate-limit-store.js'

// Per-IP request limits on the REST API (every /v1 route but the WebSocket, which has its own
// connection and frame limits). Health probes and the browser bundles are not counted: a load
// balancer or a page of visitors behind one NAT would otherwise starve the API.

/** Sets Retry-After on `reply` and returns PARLEY_ERR_LIMIT_RATE for a rate of `perSecond`. */
export function retryAfter(reply: FastifyReply, perSecond: number, ttlMs: number): Error {
  const ms = Math.max(0, Math.ceil(ttlMs))
  void reply.header('retry-after', String(Math.max(1, Math.ceil(ms / 1000))))
  return httpError('PARLEY_ERR_LIMIT_RATE', Number(perSecond.toPrecision(3)), ms)
}

/**
 * Routes with a per-IP limit of their own instead of the shared one: every visible page of a brand
 * polls its availability, which would use up the shared limit of visitors behind one NAT.
 */
export const OWN_LIMIT_ROUTES: ReadonlySet<string> = new Set(['/v1/sites/:siteKey/availability'])

/** Whether a route is counted by the per-IP REST limit. */
export function isRateLimitedRoute(url: string, websocket: boolean): boolean {
  return url.startsWith('/v1/') && !websocket && !OWN_LIMIT_ROUTES.has(url)
}

/**
 * Registers @fastify/rate-limit (its `createRateLimit` decorator too) and the per-IP limit on /v1
 * routes. With a shared `counter` every limit (these, uploads, logins) counts across the nodes;
 * while it fails, each node counts on its own (rate-limit-store.ts): looser, never open.
 */
export const restRateLimits = fp<{ limits: Limits; counter?: WindowCounter | undefined }>(async (app, { limits, counter }) => {
  await app.register(rateLimit, {
    global: false,
    ...(counter ? { store: sharedRateLimitStore(counter) } : {}),
    // Headers are ours: Retry-After on a refusal, nothing on every answer.
    addHeaders: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false, 'retry-after': false },
    addHeadersOnExceeding: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false },
  })
  const perIp = app.createRateLimit({ max: limits.restRequestsPerMinute, timeWindow: 60_000, keyGenerator: (req) => `ip\n${addressKey(req.ip)}` })
  const limit = async (req: Parameters<typeof perIp>[0], reply: FastifyReply) => {
    const r = await perIp(req)
    if (!r.isAllowed && r.isExceeded) {
      req.log.warn({ ip: req.ip }, 'REST rate limit reached')
      throw retryAfter(reply, limits.restRequestsPerMinute / 60, r.ttl)
    }
  }
  app.addHook('onRoute', (route) => {
    if (!isRateLimitedRoute(route.url, Boolean((route as { websocket?: boolean }).websocket))) return
    const existing = route.onRequest
    route.onRequest = existing === undefined ? [limit] : Array.isArray(existing) ? [limit, ...existing] : [limit, existing]
  })
}, { name: 'parley-rest-rate-limits', fastify: '5.x' })
