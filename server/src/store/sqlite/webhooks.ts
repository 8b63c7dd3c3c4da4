import type Database from 'better-sqlite3'
import type { WebhookStore } from '../store.js'
import { type DeliveryRow, type EndpointRow, toDelivery, toEndpoint, withoutCursor } from '../webhook-rows.js'

// Brands' webhook endpoints and the outbox of their deliveries (migration 17). One relay process
// owns the file, so a claim's lease guards against this node's own workers only; it is written
// anyway, so that a restart finds an attempt that was under way as due again once the lease ends,
// and an attempt is recorded only under the lease it was claimed with (one that outlived its lease
// must not overwrite the outcome of the claim that followed).

/** The webhook methods of the SQLite store. */
export function createWebhooks(db: Database.Database): WebhookStore {
  const q = {
    count: db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM webhook_endpoints WHERE brand_id = ?'),
    insert: db.prepare(`INSERT INTO webhook_endpoints (brand_id, endpoint_id, url, events, description, enabled, secrets, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
    get: db.prepare<[string, string], EndpointRow>('SELECT * FROM webhook_endpoints WHERE brand_id = ? AND endpoint_id = ?'),
    list: db.prepare<[string], EndpointRow>('SELECT * FROM webhook_endpoints WHERE brand_id = ? ORDER BY created_at, endpoint_id'),
    update: db.prepare(`UPDATE webhook_endpoints SET url = ?, events = ?, description = ?, enabled = ?, secrets = ?
      WHERE brand_id = ? AND endpoint_id = ?`),
    delete: db.prepare('DELETE FROM webhook_endpoints WHERE brand_id = ? AND endpoint_id = ?'),
    enqueue: db.prepare(`INSERT INTO webhook_deliveries (brand_id, delivery_id, endpoint_id, event_id, type, conv_id, payload, status, attempts,
        next_attempt_at, created_at)
      SELECT @brandId, @deliveryId, @endpointId, @eventId, @type, @convId, @payload, 'pending', 0, @nextAttemptAt, @createdAt
      WHERE EXISTS (SELECT 1 FROM webhook_endpoints WHERE brand_id = @brandId AND endpoint_id = @endpointId)
        AND NOT EXISTS (SELECT 1 FROM conversations WHERE brand_id = @brandId AND conv_id = @convId AND erased_at IS NOT NULL)
      ON CONFLICT (brand_id, delivery_id) DO NOTHING`),
    claim: db.prepare<{ now: number; leaseUntil: number; limit: number }, DeliveryRow>(`UPDATE webhook_deliveries SET lease_until = @leaseUntil
      WHERE seq IN (SELECT seq FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= @now
        AND (lease_until IS NULL OR lease_until <= @now) ORDER BY next_attempt_at LIMIT @limit)
      RETURNING *`),
    record: db.prepare(`UPDATE webhook_deliveries SET attempts = attempts + 1, status = @status, next_attempt_at = @nextAttemptAt,
        lease_until = NULL, last_status = @httpStatus, last_error = @error,
        delivered_at = CASE WHEN @status = 'delivered' THEN @at ELSE delivered_at END
      WHERE brand_id = @brandId AND delivery_id = @deliveryId AND lease_until = @leaseUntil`),
    prune: db.prepare<[number, number], unknown>(`DELETE FROM webhook_deliveries WHERE seq IN (SELECT seq FROM webhook_deliveries
      WHERE status <> 'pending' AND created_at < ? ORDER BY created_at LIMIT ?)`),
    delivery: db.prepare<[string, string], DeliveryRow>('SELECT * FROM webhook_deliveries WHERE brand_id = ? AND delivery_id = ?'),
    log: db.prepare<{ brandId: string; endpointId: string; status: string | null; before: number | null; limit: number }, DeliveryRow>(`SELECT * FROM webhook_deliveries
      WHERE brand_id = @brandId AND endpoint_id = @endpointId AND (@status IS NULL OR status = @status) AND (@before IS NULL OR seq < @before)
      ORDER BY seq DESC LIMIT @limit`),
  }

  const createTx = db.transaction((e: Parameters<WebhookStore['createWebhookEndpoint']>[0], limit: number) => {
    if (q.count.get(e.brandId)!.n >= limit) return false
    q.insert.run(e.brandId, e.endpointId, e.url, JSON.stringify(e.events), e.description, e.enabled ? 1 : 0, JSON.stringify(e.secrets), e.createdAt)
    return true
  })
  const updateTx = db.transaction((brandId: string, endpointId: string, change: Parameters<WebhookStore['updateWebhookEndpoint']>[2]) => {
    const row = q.get.get(brandId, endpointId)
    if (!row) return null
    const e = { ...toEndpoint(row), ...change }
    q.update.run(e.url, JSON.stringify(e.events), e.description, e.enabled ? 1 : 0, JSON.stringify(e.secrets), brandId, endpointId)
    return e
  })
  const enqueueTx = db.transaction((ds: Parameters<WebhookStore['enqueueWebhookDeliveries']>[0]) => {
    for (const d of ds) {
      q.enqueue.run({
        brandId: d.brandId, deliveryId: d.deliveryId, endpointId: d.endpointId, eventId: d.eventId, type: d.type, convId: d.convId,
        payload: d.payload, nextAttemptAt: d.nextAttemptAt ?? d.createdAt, createdAt: d.createdAt,
      })
    }
  })

  return {
    async createWebhookEndpoint(e, limit) { return createTx.immediate(e, limit) },
    async getWebhookEndpoint(brandId, endpointId) { const r = q.get.get(brandId, endpointId); return r ? toEndpoint(r) : null },
    async listWebhookEndpoints(brandId) { return q.list.all(brandId).map(toEndpoint) },
    async updateWebhookEndpoint(brandId, endpointId, change) { return updateTx.immediate(brandId, endpointId, change) },
    async deleteWebhookEndpoint(brandId, endpointId) { return q.delete.run(brandId, endpointId).changes > 0 },
    async enqueueWebhookDeliveries(ds) { if (ds.length > 0) enqueueTx.immediate(ds) },
    async claimWebhookDeliveries(now, leaseUntil, limit) {
      return q.claim.all({ now, leaseUntil, limit }).map((r) => withoutCursor(toDelivery(r)))
    },
    async recordWebhookAttempt(brandId, deliveryId, a) {
      const { leaseUntil, status, nextAttemptAt, httpStatus, error, at } = a
      return q.record.run({ brandId, deliveryId, leaseUntil, status, nextAttemptAt, httpStatus, error, at }).changes > 0
    },
    async getWebhookDelivery(brandId, deliveryId) {
      const r = q.delivery.get(brandId, deliveryId)
      return r ? withoutCursor(toDelivery(r)) : null
    },
    async pruneWebhookDeliveries(before, limit) { return q.prune.run(before, limit).changes },
    async listWebhookDeliveries(brandId, endpointId, query) {
      return q.log.all({ brandId, endpointId, status: query.status ?? null, before: query.before === null ? null : Number(query.before), limit: query.limit }).map(toDelivery)
    },
  }
}
