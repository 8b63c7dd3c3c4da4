import type { WebhookAttemptError, WebhookDeliveryStatus, WebhookEventName, WebhookEventType } from '@parley/sdk/contract'
import type { WebhookDeliveryRecord, WebhookEndpointRecord, WebhookSecretRecord } from './store.js'

// The webhook tables' rows as both stores read them: SQLite keeps JSON as text and booleans as
// integers, PostgreSQL as jsonb and boolean; the columns are otherwise the same.

/** A webhook_endpoints row. */
export interface EndpointRow {
  brand_id: string; endpoint_id: string; url: string; events: string | WebhookEventName[]; description: string
  enabled: number | boolean; secrets: string | WebhookSecretRecord[]; created_at: number
}

/** A webhook_deliveries row. */
export interface DeliveryRow {
  seq: number; brand_id: string; delivery_id: string; endpoint_id: string; event_id: string; type: string; conv_id: string | null; payload: string
  status: string; attempts: number; next_attempt_at: number | null; last_status: number | null; last_error: string | null
  created_at: number; delivered_at: number | null
}

const json = <T>(v: string | T): T => (typeof v === 'string' ? JSON.parse(v) as T : v)

/** The endpoint a row holds. */
export function toEndpoint(r: EndpointRow): WebhookEndpointRecord {
  return {
    brandId: r.brand_id, endpointId: r.endpoint_id, url: r.url, events: json(r.events), description: r.description,
    enabled: Boolean(r.enabled), secrets: json(r.secrets), createdAt: r.created_at,
  }
}

/** The delivery a row holds, with its cursor in the endpoint's log. */
export function toDelivery(r: DeliveryRow): WebhookDeliveryRecord & { cursor: string } {
  return {
    brandId: r.brand_id, deliveryId: r.delivery_id, endpointId: r.endpoint_id, eventId: r.event_id, type: r.type as WebhookEventType, convId: r.conv_id,
    payload: r.payload, status: r.status as WebhookDeliveryStatus, attempts: r.attempts, nextAttemptAt: r.next_attempt_at,
    lastStatus: r.last_status, lastError: r.last_error as WebhookAttemptError | null, createdAt: r.created_at, deliveredAt: r.delivered_at,
    cursor: String(r.seq),
  }
}

/** A delivery without its log cursor (the outbox's callers have no use for it). */
export function withoutCursor({ cursor: _, ...d }: WebhookDeliveryRecord & { cursor: string }): WebhookDeliveryRecord {
  return d
}

/** What a cursor of the delivery log looks like (a row's seq). */
export const DELIVERY_CURSOR = /^[1-9][0-9]{0,15}$/
