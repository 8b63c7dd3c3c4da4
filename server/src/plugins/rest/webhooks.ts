import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import { Type } from '@sinclair/typebox'
import {
  CreateWebhookEndpoint, CreatedWebhookEndpoint, MAX_WEBHOOK_ENDPOINTS, RotateWebhookSecret, WebhookDelivery, WebhookDeliveryPage,
  WebhookDeliveryParams, WebhookDeliveryQuery, WebhookEndpoint, WebhookEndpointList, WebhookEndpointPatch, WebhookParams,
} from '@parley/sdk/contract'
import type { Deps } from '../../deps.js'
import { actorOf, type AuditLog } from '../../audit/audit-log.js'
import type { AuditAction } from '@parley/sdk/contract'
import { httpError } from '../../errors.js'
import type { WebhookDeliveryRecord, WebhookEndpointRecord } from '../../store/store.js'
import { DELIVERY_CURSOR } from '../../store/webhook-rows.js'
import { createWebhookSecret } from '../../webhooks/signature.js'
import { webhookUrlRefusal } from '../../webhooks/webhook-address.js'
import type { WebhookEvents } from '../../webhooks/webhook-events.js'

// A brand's webhook endpoints (action webhooks.manage: admins, keys with webhooks:write): create,
// change, delete, rotate the signing secret, read the delivery log, replay a delivery, send a ping.
// The secret is shown once, when made. Audit entries name endpoints, events and counts, never a
// secret or a payload.

/** How long a rotated-out secret keeps signing when the caller does not say: a day. */
const DEFAULT_GRACE_SECONDS = 86_400

/** The page size of the delivery log when the query names none. */
const DEFAULT_DELIVERY_PAGE = 50

/** The endpoint as the API shows it: no secret. */
function publicEndpoint(e: WebhookEndpointRecord, now: number): WebhookEndpoint {
  const previous = e.secrets.find((s) => s.expiresAt !== null && s.expiresAt > now)
  return {
    endpointId: e.endpointId, url: e.url, events: e.events, description: e.description, enabled: e.enabled, createdAt: e.createdAt,
    previousSecretExpiresAt: previous?.expiresAt ?? null,
  }
}

/** The delivery as the API shows it: no payload (the receiver has it), no brand. */
function publicDelivery({ brandId: _b, payload: _p, cursor: _c, convId: _v, ...d }: WebhookDeliveryRecord & { cursor?: string }): WebhookDelivery {
  return d
}

/** The webhook routes. */
export const webhookRoutes: FastifyPluginAsync<{ deps: Deps; audit: AuditLog; events: WebhookEvents; allowPrivate: boolean }> = async (app, { deps, audit, events, allowPrivate }) => {
  const { store, clock } = deps

  const refuseUrl = async (url: string) => {
    const why = await webhookUrlRefusal(url, allowPrivate)
    if (why !== null) throw httpError('PARLEY_ERR_WEBHOOK_URL_REFUSED', why)
  }
  const record = (req: FastifyRequest, action: AuditAction, id: string, detail: Record<string, string | number | boolean>) => audit.record({
    brandId: req.principal!.brandId, actor: actorOf(req.principal!), action, ip: req.ip, resource: { type: 'webhook', id }, detail,
  })
  const endpointOf = async (brandId: string, endpointId: string) => {
    const e = await store.getWebhookEndpoint(brandId, endpointId)
    if (!e) throw httpError('PARLEY_ERR_WEBHOOK_NOT_FOUND', endpointId)
    return e
  }

  app.get('/v1/webhooks', {
    schema: { summary: "List the brand's webhook endpoints (never their secrets)", response: { 200: WebhookEndpointList } },
    preHandler: app.authorize('webhooks.manage'),
  }, async (req) => ({ endpoints: (await store.listWebhookEndpoints(req.principal!.brandId)).map((e) => publicEndpoint(e, clock.now())) }))

  app.post<{ Body: CreateWebhookEndpoint }>('/v1/webhooks', {
    schema: { summary: 'Add a webhook endpoint subscribed to events; its signing secret is shown this once', body: CreateWebhookEndpoint, response: { 201: CreatedWebhookEndpoint } },
    preHandler: app.authorize('webhooks.manage'),
  }, async (req, reply) => {
    const brandId = req.principal!.brandId
    await refuseUrl(req.body.url)
    const secret = createWebhookSecret()
    const endpoint: WebhookEndpointRecord = {
      brandId, endpointId: deps.ids.next('whe_'), url: req.body.url, events: req.body.events, description: req.body.description ?? '',
      enabled: req.body.enabled ?? true, secrets: [{ secret, expiresAt: null }], createdAt: clock.now(),
    }
    if (!await store.createWebhookEndpoint(endpoint, MAX_WEBHOOK_ENDPOINTS)) throw httpError('PARLEY_ERR_WEBHOOK_LIMIT', MAX_WEBHOOK_ENDPOINTS)
    events.changed(brandId)
    await record(req, 'webhook.change', endpoint.endpointId, { change: 'create', events: endpoint.events.join(',') })
    req.log.info({ brandId, endpointId: endpoint.endpointId, events: endpoint.events.length }, 'webhook endpoint created')
    return reply.code(201).send({ endpoint: publicEndpoint(endpoint, clock.now()), secret })
  })

  app.get<{ Params: WebhookParams }>('/v1/webhooks/:endpointId', {
    schema: { summary: 'Read a webhook endpoint', params: WebhookParams, response: { 200: WebhookEndpoint } },
    preHandler: app.authorize('webhooks.manage'),
  }, async (req) => publicEndpoint(await endpointOf(req.principal!.brandId, req.params.endpointId), clock.now()))

  app.patch<{ Params: WebhookParams; Body: WebhookEndpointPatch }>('/v1/webhooks/:endpointId', {
    schema: { summary: "Change a webhook endpoint's URL, events, description or whether it is enabled", params: WebhookParams, body: WebhookEndpointPatch, response: { 200: WebhookEndpoint } },
    preHandler: app.authorize('webhooks.manage'),
  }, async (req) => {
    const brandId = req.principal!.brandId
    if (req.body.url !== undefined) await refuseUrl(req.body.url)
    const { url, events: subscribed, description, enabled } = req.body
    const updated = await store.updateWebhookEndpoint(brandId, req.params.endpointId, {
      ...(url !== undefined ? { url } : {}), ...(subscribed !== undefined ? { events: subscribed } : {}),
      ...(description !== undefined ? { description } : {}), ...(enabled !== undefined ? { enabled } : {}),
    })
    if (!updated) throw httpError('PARLEY_ERR_WEBHOOK_NOT_FOUND', req.params.endpointId)
    events.changed(brandId)
    await record(req, 'webhook.change', updated.endpointId, { change: 'update', fields: Object.keys(req.body).join(',') })
    return publicEndpoint(updated, clock.now())
  })

  app.delete<{ Params: WebhookParams }>('/v1/webhooks/:endpointId', {
    schema: { summary: 'Delete a webhook endpoint and its delivery log (what is still queued is not sent)', params: WebhookParams, response: { 204: Type.Null({ description: 'Deleted' }) } },
    preHandler: app.authorize('webhooks.manage'),
  }, async (req, reply) => {
    const brandId = req.principal!.brandId
    if (!await store.deleteWebhookEndpoint(brandId, req.params.endpointId)) throw httpError('PARLEY_ERR_WEBHOOK_NOT_FOUND', req.params.endpointId)
    events.changed(brandId)
    await record(req, 'webhook.change', req.params.endpointId, { change: 'delete' })
    return reply.code(204).send()
  })

  app.post<{ Params: WebhookParams; Body: RotateWebhookSecret }>('/v1/webhooks/:endpointId/rotate-secret', {
    schema: {
      summary: 'Give the endpoint a new signing secret (shown this once); the old one signs too for graceSeconds (default a day; 0: no more)',
      params: WebhookParams, body: RotateWebhookSecret, response: { 201: CreatedWebhookEndpoint },
    },
    preHandler: app.authorize('webhooks.manage'),
  }, async (req, reply) => {
    const brandId = req.principal!.brandId
    const now = clock.now()
    const old = await endpointOf(brandId, req.params.endpointId)
    const grace = (req.body?.graceSeconds ?? DEFAULT_GRACE_SECONDS) * 1000
    const current = old.secrets.find((s) => s.expiresAt === null)
    const secret = createWebhookSecret()
    // One previous secret at most: rotating again within a grace period ends the older one's.
    const secrets = [{ secret, expiresAt: null }, ...(current && grace > 0 ? [{ secret: current.secret, expiresAt: now + grace }] : [])]
    const updated = await store.updateWebhookEndpoint(brandId, old.endpointId, { secrets })
    if (!updated) throw httpError('PARLEY_ERR_WEBHOOK_NOT_FOUND', old.endpointId)
    await record(req, 'webhook.change', old.endpointId, { change: 'rotate-secret', graceSeconds: grace / 1000 })
    req.log.info({ brandId, endpointId: old.endpointId, graceSeconds: grace / 1000 }, 'webhook secret rotated')
    return reply.code(201).send({ endpoint: publicEndpoint(updated, now), secret })
  })

  app.get<{ Params: WebhookParams; Querystring: WebhookDeliveryQuery }>('/v1/webhooks/:endpointId/deliveries', {
    schema: { summary: "An endpoint's delivery log, newest first (filter by status)", params: WebhookParams, querystring: WebhookDeliveryQuery, response: { 200: WebhookDeliveryPage } },
    preHandler: app.authorize('webhooks.manage'),
  }, async (req): Promise<WebhookDeliveryPage> => {
    const brandId = req.principal!.brandId
    const { cursor, limit = DEFAULT_DELIVERY_PAGE, status } = req.query
    if (cursor !== undefined && !DELIVERY_CURSOR.test(cursor)) throw httpError('PARLEY_ERR_REQUEST_INVALID', 'querystring/cursor is not a cursor of this log (pass back `next`)')
    await endpointOf(brandId, req.params.endpointId)
    const rows = await store.listWebhookDeliveries(brandId, req.params.endpointId, { ...(status ? { status } : {}), before: cursor ?? null, limit: limit + 1 })
    const page = rows.slice(0, limit)
    return { deliveries: page.map(publicDelivery), next: rows.length > limit ? page[page.length - 1]!.cursor : null }
  })

  app.post<{ Params: WebhookDeliveryParams }>('/v1/webhooks/deliveries/:deliveryId/replay', {
    schema: {
      summary: 'Send a delivery again, as a new delivery of the same event (same webhook-id and body), whatever became of the first',
      params: WebhookDeliveryParams, response: { 201: WebhookDelivery },
    },
    preHandler: app.authorize('webhooks.manage'),
  }, async (req, reply) => {
    const brandId = req.principal!.brandId
    const first = await store.getWebhookDelivery(brandId, req.params.deliveryId)
    if (!first) throw httpError('PARLEY_ERR_WEBHOOK_DELIVERY_NOT_FOUND', req.params.deliveryId)
    const endpoint = await endpointOf(brandId, first.endpointId)
    const again = await events.enqueue(endpoint, first.type, first.payload, first.eventId, first.convId)
    await record(req, 'webhook.replay', endpoint.endpointId, { deliveryId: first.deliveryId, newDeliveryId: again.deliveryId, type: first.type })
    return reply.code(201).send(publicDelivery(again))
  })

  app.post<{ Params: WebhookParams }>('/v1/webhooks/:endpointId/test', {
    schema: { summary: 'Send the endpoint a webhook.test ping, to check it receives and verifies', params: WebhookParams, response: { 201: WebhookDelivery } },
    preHandler: app.authorize('webhooks.manage'),
  }, async (req, reply) => {
    const brandId = req.principal!.brandId
    const endpoint = await endpointOf(brandId, req.params.endpointId)
    const body = events.payload(brandId, 'webhook.test', { endpointId: endpoint.endpointId, at: clock.now() })
    const ping = await events.enqueue(endpoint, 'webhook.test', body)
    await record(req, 'webhook.replay', endpoint.endpointId, { newDeliveryId: ping.deliveryId, type: 'webhook.test' })
    return reply.code(201).send(publicDelivery(ping))
  })
}
