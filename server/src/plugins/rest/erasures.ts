import type { FastifyPluginAsync } from 'fastify'
import { EraseRequest, ErasureParams, ErasureReceipt, ErasureRequest, ErasureRequestList } from '@parley/sdk/contract'
import type { Deps } from '../../deps.js'
import { actorOf, type AuditLog } from '../../audit/audit-log.js'
import { eraseVisitorData, type EraseDeps } from '../../data-rights/erase-visitor.js'
import { toErasureRequest } from '../../data-rights/erasure-request-runner.js'
import { resolveVisitors, selectorKind } from '../../data-rights/resolve-visitors.js'
import { httpError } from '../../errors.js'

// A visitor's erasure (action data.erase: admins, keys with data:erase): at once (200, the receipt)
// or after a grace period (202, the request, cancellable until it runs). A retried POST is answered
// from its Idempotency-Key (idempotency.ts); the erasure itself is idempotent too. Nothing here
// logs or audits the selector's value (it may be an e-mail): its kind only.

/** How many requests GET /v1/erasures lists, newest first. */
const LIST_LIMIT = 100

const DAY_MS = 86_400_000

/** POST /v1/visitors/erase, GET /v1/erasures, GET and DELETE /v1/erasures/:requestId. */
export const erasureRoutes: FastifyPluginAsync<{ deps: Deps; audit: AuditLog; erase: Omit<EraseDeps, 'store' | 'bus' | 'clock' | 'blobs' | 'audit'> }> = async (app, { deps, audit, erase }) => {
  const { store, clock } = deps
  const eraseDeps: EraseDeps = { store, bus: deps.bus, clock, blobs: deps.blobs, audit: (e) => audit.record(e), ...erase }

  app.post<{ Body: EraseRequest }>('/v1/visitors/erase', {
    schema: {
      summary: "Erase a visitor's data (messages, answers, context, consent records, search entries; a stub of each conversation stays): at once with the receipt, or after graceDays (cancellable until then)",
      body: EraseRequest, response: { 200: ErasureReceipt, 202: ErasureRequest },
    },
    preHandler: app.authorize('data.erase'),
  }, async (req, reply) => {
    const p = req.principal!
    const now = clock.now()
    const { selector } = req.body
    const kind = selectorKind(selector)
    const actor = actorOf(p)
    const requestedBy = `${actor.kind}:${actor.id}`
    const graceDays = req.body.graceDays ?? (await store.getPrivacyConfig(p.brandId))?.erasureGraceDays ?? 0
    // Unknown now is refused now, not days later by a request that finds nothing.
    const visitorIds = await resolveVisitors(store, p.brandId, selector)
    const requestId = deps.ids.next('er_')
    if (graceDays > 0) {
      const record = {
        brandId: p.brandId, requestId, status: 'scheduled' as const, selectorKind: kind, selector, requestedAt: now, requestedBy,
        runAt: now + graceDays * DAY_MS, cancelledAt: null, receipt: null,
      }
      await store.createErasureRequest(record)
      await audit.recordRequest(req, { action: 'erasure.schedule', resource: { type: 'erasure', id: requestId }, detail: { selector: kind, graceDays, visitors: visitorIds.length } })
      req.log.info({ brandId: p.brandId, requestId, graceDays }, 'erasure scheduled')
      return reply.code(202).send(toErasureRequest(record))
    }
    const receipt = await eraseVisitorData(eraseDeps, { brandId: p.brandId, requestId, selector: { kind, visitorIds }, requestedAt: now, actor, ip: req.ip })
    await store.createErasureRequest({
      brandId: p.brandId, requestId, status: 'done', selectorKind: kind, selector: null, requestedAt: now, requestedBy, runAt: now, cancelledAt: null, receipt,
    })
    req.log.info({ brandId: p.brandId, requestId, visitors: visitorIds.length, conversations: receipt.removed.conversations, messages: receipt.removed.messages }, 'visitor erased')
    return receipt
  })

  app.get('/v1/erasures', {
    schema: { summary: "List the brand's erasure requests, newest first (scheduled, cancelled and done, with their receipts)", response: { 200: ErasureRequestList } },
    preHandler: app.authorize('data.erase'),
  }, async (req): Promise<ErasureRequestList> => ({ requests: (await store.listErasureRequests(req.principal!.brandId, LIST_LIMIT)).map(toErasureRequest) }))

  app.get<{ Params: ErasureParams }>('/v1/erasures/:requestId', {
    schema: { summary: 'Read one erasure request (its receipt once done)', params: ErasureParams, response: { 200: ErasureRequest } },
    preHandler: app.authorize('data.erase'),
  }, async (req): Promise<ErasureRequest> => {
    const r = await store.getErasureRequest(req.principal!.brandId, req.params.requestId)
    if (!r) throw httpError('PARLEY_ERR_ERASURE_NOT_FOUND', req.params.requestId)
    return toErasureRequest(r)
  })

  app.delete<{ Params: ErasureParams }>('/v1/erasures/:requestId', {
    schema: { summary: 'Cancel a scheduled erasure within its grace period', params: ErasureParams, response: { 200: ErasureRequest } },
    preHandler: app.authorize('data.erase'),
  }, async (req): Promise<ErasureRequest> => {
    const brandId = req.principal!.brandId
    const r = await store.cancelErasureRequest(brandId, req.params.requestId, clock.now())
    if (!r.ok && r.code === 'PARLEY_ERR_ERASURE_NOT_FOUND') throw httpError(r.code, req.params.requestId)
    if (!r.ok) throw httpError(r.code, req.params.requestId, r.status)
    await audit.recordRequest(req, { action: 'erasure.cancel', resource: { type: 'erasure', id: r.request.requestId }, detail: { selector: r.request.selectorKind } })
    req.log.info({ brandId, requestId: r.request.requestId }, 'erasure cancelled')
    return toErasureRequest(r.request)
  })
}
