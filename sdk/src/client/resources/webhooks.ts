import type {
  CreateWebhookEndpoint, CreatedWebhookEndpoint, RotateWebhookSecret, WebhookDelivery, WebhookDeliveryPage, WebhookDeliveryQuery,
  WebhookEndpoint, WebhookEndpointList, WebhookEndpointPatch,
} from '../../contract/webhooks.js'
import { PagedList } from '../pages.js'
import { SECRET_ANSWER, type RequestOptions, type Transport } from '../request.js'

/**
 * `parley.webhooks`: where the relay posts the brand's events, signed the Standard Webhooks way
 * (the client's key needs `webhooks:write`). A signing secret is returned once, at creation or
 * rotation; check deliveries with `verifyWebhook`.
 */
export class WebhooksResource {
  readonly #t: Transport
  constructor(transport: Transport) {
    this.#t = transport
  }

  /** The brand's endpoints, oldest first; never a secret. */
  async list(opts?: RequestOptions): Promise<WebhookEndpoint[]> {
    return (await this.#t.request<WebhookEndpointList>({ method: 'GET', path: '/v1/webhooks' }, opts)).endpoints
  }

  /** One endpoint. NotFoundError `PARLEY_ERR_WEBHOOK_NOT_FOUND` for an unknown id. */
  get(endpointId: string, opts?: RequestOptions): Promise<WebhookEndpoint> {
    return this.#t.request({ method: 'GET', path: `/v1/webhooks/${encodeURIComponent(endpointId)}` }, opts)
  }

  /**
   * Adds an endpoint; its `secret` (`whsec_…`) is in the answer and nowhere else. InvalidRequestError
   * `PARLEY_ERR_WEBHOOK_URL_REFUSED` for a URL that is not https on a public address (unless the
   * operator allows private ones); ConflictError `PARLEY_ERR_WEBHOOK_LIMIT` past 20 endpoints. Never
   * retried (see `SECRET_ANSWER`).
   */
  create(body: CreateWebhookEndpoint, opts?: RequestOptions): Promise<CreatedWebhookEndpoint> {
    return this.#t.request({ method: 'POST', path: '/v1/webhooks', body }, { ...opts, ...SECRET_ANSWER })
  }

  /** Changes the URL, events, description or whether it is enabled; what is left out stays. */
  update(endpointId: string, patch: WebhookEndpointPatch, opts?: RequestOptions): Promise<WebhookEndpoint> {
    return this.#t.request({ method: 'PATCH', path: `/v1/webhooks/${encodeURIComponent(endpointId)}`, body: patch }, opts)
  }

  /** Deletes the endpoint and its delivery log; what is still queued for it is not sent. */
  async delete(endpointId: string, opts?: RequestOptions): Promise<void> {
    await this.#t.request({ method: 'DELETE', path: `/v1/webhooks/${encodeURIComponent(endpointId)}` }, opts)
  }

  /**
   * A new signing secret (in the answer, once). The old one signs too for `graceSeconds` (default a
   * day; 0: no more), so a receiver can move over without refusing a delivery. Never retried.
   */
  rotateSecret(endpointId: string, body: RotateWebhookSecret = {}, opts?: RequestOptions): Promise<CreatedWebhookEndpoint> {
    return this.#t.request({ method: 'POST', path: `/v1/webhooks/${encodeURIComponent(endpointId)}/rotate-secret`, body }, { ...opts, ...SECRET_ANSWER })
  }

  /** The endpoint's delivery log, newest first, filtered by status; iterate, or `.pages()`. */
  deliveries(endpointId: string, query: Omit<WebhookDeliveryQuery, 'cursor'> = {}, opts?: RequestOptions): PagedList<WebhookDelivery, WebhookDeliveryPage> {
    return new PagedList({
      fetch: (cursor) => this.#t.request<WebhookDeliveryPage>({ method: 'GET', path: `/v1/webhooks/${encodeURIComponent(endpointId)}/deliveries`, query: { ...query, cursor } }, opts),
      items: (page) => page.deliveries,
      next: (page) => page.next,
    })
  }

  /** Sends a delivery's event again, as a new delivery with the same `webhook-id` and body. */
  replay(deliveryId: string, opts?: RequestOptions): Promise<WebhookDelivery> {
    return this.#t.request({ method: 'POST', path: `/v1/webhooks/deliveries/${encodeURIComponent(deliveryId)}/replay` }, opts)
  }

  /** Sends the endpoint a `webhook.test` ping. */
  test(endpointId: string, opts?: RequestOptions): Promise<WebhookDelivery> {
    return this.#t.request({ method: 'POST', path: `/v1/webhooks/${encodeURIComponent(endpointId)}/test` }, opts)
  }
}
