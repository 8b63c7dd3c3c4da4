import type { WebhookDeliveryRecord, WebhookStore } from '../store.js'
import { type DeliveryRow, type EndpointRow, toDelivery, toEndpoint, withoutCursor } from '../webhook-rows.js'
import type { PgDb } from './db.js'

// Brands' webhook endpoints and the outbox of their deliveries (schema/007-webhooks.ts). Claims
// look across brands through the one SECURITY DEFINER function, which answers ids; everything else,
// the claimed bodies too, is read and written in a transaction of the brand, under row-level security.

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
      for (const [brandId, mine] of byBrand(ds)) {
        await db.tx(brandId, async (tx) => {
          // Key-share locks on the conversations hold off an erasure (it locks them FOR UPDATE) until
          // this commits, so it deletes what this queues; one that committed first shows as erased.
          const convIds = [...new Set(mine.flatMap((d) => d.convId === null ? [] : [d.convId]))].sort()
          const convs = convIds.length === 0 ? [] : await tx.rows<{ conv_id: string; erased: boolean }>(`SELECT conv_id, erased_at IS NOT NULL AS erased
            FROM conversations WHERE brand_id = $1 AND conv_id = ANY($2) ORDER BY conv_id FOR KEY SHARE`, [brandId, convIds])
          const erased = new Set(convs.filter((c) => c.erased).map((c) => c.conv_id))
          const queued = mine.filter((d) => d.convId === null || !erased.has(d.convId))
          if (queued.length === 0) return
          const col = <K extends keyof WebhookDeliveryRecord>(k: K) => queued.map((d) => d[k])
          await tx.run(`INSERT INTO webhook_deliveries (brand_id, delivery_id, endpoint_id, event_id, type, conv_id, payload, status, attempts,
              next_attempt_at, created_at)
            SELECT $1, d.delivery_id, d.endpoint_id, d.event_id, d.type, d.conv_id, d.payload, 'pending', 0, d.next_attempt_at, d.created_at
            FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::bigint[])
              WITH ORDINALITY AS d (delivery_id, endpoint_id, event_id, type, conv_id, payload, next_attempt_at, created_at, n)
            WHERE EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.brand_id = $1 AND e.endpoint_id = d.endpoint_id)
            ORDER BY d.n
            ON CONFLICT (brand_id, delivery_id) DO NOTHING`,
          [brandId, col('deliveryId'), col('endpointId'), col('eventId'), col('type'), col('convId'), col('payload'),
            queued.map((d) => d.nextAttemptAt ?? d.createdAt), col('createdAt')])
        })
      }
    },
    async claimWebhookDeliveries(now, leaseUntil, limit) {
      return db.tx(null, async (tx) => {
        const claimed = await tx.rows<{ brand_id: string; delivery_id: string }>(
          'SELECT brand_id, delivery_id FROM parley_claim_webhook_deliveries($1, $2, $3)', [now, leaseUntil, limit])
        const ids = new Map<string, string[]>()
        for (const c of claimed) ids.set(c.brand_id, [...(ids.get(c.brand_id) ?? []), c.delivery_id])
        // The bodies are read as each brand, under row-level security: the function answers ids only.
        const rows: DeliveryRow[] = []
        for (const [brandId, deliveryIds] of ids) {
          await tx.setBrand(brandId)
          rows.push(...await tx.rows<DeliveryRow>(`SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE brand_id = $1 AND delivery_id = ANY($2)`,
            [brandId, deliveryIds]))
        }
        rows.sort((x, y) => Number(x.next_attempt_at) - Number(y.next_attempt_at) || Number(x.seq) - Number(y.seq))
        return rows.map((r) => withoutCursor(toDelivery(r)))
      })
    },
    async recordWebhookAttempt(brandId, deliveryId, a) {
      return (await db.tx(brandId, (tx) => tx.run(`UPDATE webhook_deliveries SET attempts = attempts + 1, status = $3, next_attempt_at = $4,
          lease_until = NULL, last_status = $5, last_error = $6, delivered_at = CASE WHEN $3 = 'delivered' THEN $7::bigint ELSE delivered_at END
        WHERE brand_id = $1 AND delivery_id = $2 AND lease_until = $8`,
      [brandId, deliveryId, a.status, a.nextAttemptAt, a.httpStatus, a.error, a.at, a.leaseUntil]))) > 0
    },
    async getWebhookDelivery(brandId, deliveryId) {
      const r = await db.tx(brandId, (tx) => tx.one<DeliveryRow>(`SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries
        WHERE brand_id = $1 AND delivery_id = $2`, [brandId, deliveryId]))
      return r ? withoutCursor(toDelivery(r)) : null
    },
    async pruneWebhookDeliveries(before, limit) {
      return db.tx(null, async (tx) => (await tx.one<{ n: number }>('SELECT parley_prune_webhook_deliveries($1, $2) AS n', [before, limit]))?.n ?? 0)
    },
    async listWebhookDeliveries(brandId, endpointId, query) {
      return db.tx(brandId, async (tx) => (await tx.rows<DeliveryRow>(`SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries
        WHERE brand_id = $1 AND endpoint_id = $2 AND ($3::text IS NULL OR status = $3) AND ($4::bigint IS NULL OR seq < $4)
        ORDER BY seq DESC LIMIT $5`, [brandId, endpointId, query.status ?? null, query.before, query.limit])).map(toDelivery))
    },
  }
}

/** Deliveries by brand, in the order given: a transaction acts for one brand (callers pass one). */
function byBrand(ds: readonly WebhookDeliveryRecord[]): Map<string, WebhookDeliveryRecord[]> {
  const out = new Map<string, WebhookDeliveryRecord[]>()
  for (const d of ds) out.set(d.brandId, [...(out.get(d.brandId) ?? []), d])
  return out
}
