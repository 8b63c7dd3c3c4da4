import type { PrivacyConfig } from '../../contract/data-rights.js'
import { MERGE_PATCH, type MergePatch } from '../merge-patch.js'
import type { RequestOptions, Transport } from '../request.js'

/**
 * `parley.privacy`: how long the brand keeps what: transcripts after they close
 * (`transcriptRetentionDays`), offline form entries after they were left (`offlineRetentionDays`,
 * default: as transcripts), and the grace period of erasure requests (`erasureGraceDays`). Every
 * period is off (kept for ever) until set.
 */
export class PrivacyResource {
  readonly #t: Transport
  constructor(transport: Transport) {
    this.#t = transport
  }

  /** The saved settings (`{}` when never saved: nothing is purged). */
  get(opts?: RequestOptions): Promise<PrivacyConfig> {
    return this.#t.request({ method: 'GET', path: '/v1/privacy' }, opts)
  }

  /** Replaces the settings whole (a period left out is off again). */
  set(config: PrivacyConfig, opts?: RequestOptions): Promise<PrivacyConfig> {
    return this.#t.request({ method: 'PUT', path: '/v1/privacy', body: config }, opts)
  }

  /** Changes only the fields given (JSON Merge Patch; null turns a period off). */
  update(patch: MergePatch<PrivacyConfig>, opts?: RequestOptions): Promise<PrivacyConfig> {
    return this.#t.request({ method: 'PATCH', path: '/v1/privacy', body: patch, contentType: MERGE_PATCH }, opts)
  }
}
