import type { WidgetConfig } from '../../contract/config.js'
import { MERGE_PATCH, type MergePatch } from '../merge-patch.js'
import type { RequestOptions, Transport } from '../request.js'

/** `parley.widgetConfig`: what the brand's widget looks like and may do. */
export class WidgetConfigResource {
  readonly #t: Transport
  constructor(transport: Transport) {
    this.#t = transport
  }

  /** The saved configuration (`{}` when none: every field takes its default). */
  get(opts?: RequestOptions): Promise<WidgetConfig> {
    return this.#t.request({ method: 'GET', path: '/v1/widget-config' }, opts)
  }

  /** Replaces the whole configuration: a field left out goes back to its default. */
  set(config: WidgetConfig, opts?: RequestOptions): Promise<WidgetConfig> {
    return this.#t.request({ method: 'PUT', path: '/v1/widget-config', body: config }, opts)
  }

  /** Changes only what the patch names (null removes a field); answers the configuration as stored. */
  update(patch: MergePatch<WidgetConfig>, opts?: RequestOptions): Promise<WidgetConfig> {
    return this.#t.request({ method: 'PATCH', path: '/v1/widget-config', body: patch, contentType: MERGE_PATCH }, opts)
  }
}
