import type { WebhookStore } from '../store.js'
import { type DeliveryRow, type EndpointRow, toDelivery, toEndpoint, withoutCursor } from '../webhook-rows.js'
import type { PgDb } from './db.js'

// Brands' webhook endpoints and the outbox of their deliveries (schema/007-webhooks.ts). Claims
// look across brands through the one SECURITY DEFINER function; everything else runs in a
// transaction of the brand, under row-level security.

const DELIVERY_COLUMNS = `seq, brand_id, delivery_id, endpoint_id, event_id, type, conv_id, payload, status, attempts, next_attempt_at,
  last_status, last_error, created_at, delivered_at`

/** The Store's webhook methods over `db`. */
export function createWebhooks(db: PgDb): WebhookStore {
  const getRow = (brandId: string, endpointId: string) => db.tx(brandId, (tx) =>
    tx.one<EndpointRow>('SELECT * FROM webhook_endpoints WHERE brand_id = $1 AND endpoint_id = $2', [brandId, endpointId]))
  return {
    async createWebhookEndpoint(e, limit) {
      return db.tx(e.brandId, async (tx) => {
        // Two creations at once must not both pass the count: the brand's row is the lock.
        await tx.run('SELECT 1 FROM brands WHERE brand_id = $1 FOR UPDATE', [e.brandId])
        const n = (await tx.one<{ n: number }>('SELECT count(*)::integer AS n FROM webhook_endpoints WHERE brand_id = $1', [e.brandId]))?.n ?? 0
        if (n >= limit) return false
        await tx.run(`INSERT INTO webhook_endpoints (brand_id, endpoint_id, url, events, description, enabled, secrets, created_at)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [e.brandId, e.endpointId, e.url, JSON.stringify(e.events), e.description, e.enabled, JSON.stringify(e.secrets), e.createdAt])
        return true
      })
    },
    async getWebhookEndpoint(brandId, endpointId) { const r = await getRow(brandId, endpointId); return r ? toEndpoint(r) : null },
    async listWebhookEndpoints(brandId) {
      return db.tx(brandId, async (tx) => (await tx.rows<EndpointRow>(`SELECT * FROM webhook_endpoints WHERE brand_id = $1
        ORDER BY created_at, endpoint_id COLLATE "C"`, [brandId])).map(toEndpoint))
    },
    async updateWebhookEndpoint(brandId, endpointId, change) {
      return db.tx(brandId, async (tx) => {
        const row = await tx.one<EndpointRow>('SELECT * FROM webhook_endpoints WHERE brand_id = $1 AND endpoint_id = $2 FOR UPDATE', [brandId, endpointId])
        if (!row) return null
        const e = { ...toEndpoint(row), ...change }
        await tx.run(`UPDATE webhook_endpoints SET url = $3, events = $4, description = $5, enabled = $6, secrets = $7
          WHERE brand_id = $1 AND endpoint_id = $2`, [brandId, endpointId, e.url, JSON.stringify(e.events), e.description, e.enabled, JSON.stringify(e.secrets)])
        return e
      })
    },
    async deleteWebhookEndpoint(brandId, endpointId) {
      return (await db.tx(brandId, (tx) => tx.run('DELETE FROM webhook_endpoints WHERE brand_id = $1 AND endpoint_id = $2', [brandId, endpointId]))) > 0
    },
    async enqueueWebhookDeliveries(ds) {
      if (ds.length === 0) return
      await db.tx(ds[0]!.brandId, async (tx) => {
        for (const d of ds) {
          await tx.setBrand(d.brandId)
          await tx.run(`INSERT INTO webhook_deliveries (brand_id, delivery_id, endpoint_id, event_id, type, payload, status, attempts, next_attempt_at, created_at, conv_id)
            SELECT $1, $2, $3, $4, $5, $6, 'pending', 0, $7, $8, $9
            WHERE EXISTS (SELECT 1 FROM webhook_endpoints WHERE brand_id = $1 AND endpoint_id = $3)
            ON CONFLICT (brand_id, delivery_id) DO NOTHING`,
          [d.brandId, d.deliveryId, d.endpointId, d.eventId, d.type, d.payload, d.nextAttemptAt ?? d.createdAt, d.createdAt, d.convId])
        }
      })
    },
    async claimWebhookDeliveries(now, leaseUntil, limit) {
      return db.tx(null, async (tx) => (await tx.rows<DeliveryRow>(`SELECT ${DELIVERY_COLUMNS} FROM parley_claim_webhook_deliveries($1, $2, $3)`,
        [now, leaseUntil, limit])).map((r) => withoutCursor(toDelivery(r))))
    },
    async recordWebhookAttempt(brandId, deliveryId, a) {
      return (await db.tx(brandId, (tx) => tx.run(`UPDATE webhook_deliveries SET attempts = attempts + 1, status = $3, next_attempt_at = $4,
          lease_until = NULL, last_status = $5, last_error = $6, delivered_at = CASE WHEN $3 = 'delivered' THEN $7::bigint ELSE delivered_at END
        WHERE brand_id = $1 AND delivery_id = $2`, [brandId, deliveryId, a.status, a.nextAttemptAt, a.httpStatus, a.error, a.at]))) > 0
    },
    async getWebhookDelivery(brandId, deliveryId) {
      const r = await db.tx(brandId, (tx) => tx.one<DeliveryRow>(`SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries
        WHERE brand_id = $1 AND delivery_id = $2`, [brandId, deliveryId]))
      return r ? withoutCursor(toDelivery(r)) : null
    },
    async pruneWebhookDeliveries(before, limit) {
      return db.tx(null, async (tx) => (await tx.one<{ n: number }>('SELECT parley_prune_webhook_deliveries($1, $2) AS n', [before, limit]))?.n ?? 0)
    },
    async forgetWebhookDeliveries(brandId, convIds) {
      if (convIds.length === 0) return 0
      return db.tx(brandId, (tx) => tx.run('DELETE FROM webhook_deliveries WHERE brand_id = $1 AND conv_id = ANY($2::text[])', [brandId, convIds]))
    },
    async listWebhookDeliveries(brandId, endpointId, query) {
      return db.tx(brandId, async (tx) => (await tx.rows<DeliveryRow>(`SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries
        WHERE brand_id = $1 AND endpoint_id = $2 AND ($3::text IS NULL OR status = $3) AND ($4::bigint IS NULL OR seq < $4)
        ORDER BY seq DESC LIMIT $5`, [brandId, endpointId, query.status ?? null, query.before, query.limit])).map(toDelivery))
    },
  }
}
