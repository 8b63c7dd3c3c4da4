import type { RoutingConfig } from '../../contract/routing.js'
import { MERGE_PATCH, type MergePatch } from '../merge-patch.js'
import type { RequestOptions, Transport } from '../request.js'

/**
 * `parley.routing`: how the brand's new chats reach agents. `manual` (the default): agents accept
 * from the queue. `automatic`: the relay offers each waiting chat to an available agent with room
 * and the chat's skill, and moves it on after `offerTimeoutSec` (a missed offer).
 */
export class RoutingResource {
  readonly #t: Transport
  constructor(transport: Transport) {
    this.#t = transport
  }

  /** The saved settings with their defaults filled in (no `mode`: manual routing). */
  get(opts?: RequestOptions): Promise<RoutingConfig> {
    return this.#t.request({ method: 'GET', path: '/v1/routing' }, opts)
  }

  /** Replaces the settings whole (a field left out goes back to its default); an out-of-range value fails with InvalidRequestError PARLEY_ERR_REQUEST_INVALID. */
  set(config: RoutingConfig, opts?: RequestOptions): Promise<RoutingConfig> {
    return this.#t.request({ method: 'PUT', path: '/v1/routing', body: config }, opts)
  }

  /** Changes only the fields given (JSON Merge Patch; null puts a field back to its default). */
  update(patch: MergePatch<RoutingConfig>, opts?: RequestOptions): Promise<RoutingConfig> {
    return this.#t.request({ method: 'PATCH', path: '/v1/routing', body: patch, contentType: MERGE_PATCH }, opts)
  }
}
