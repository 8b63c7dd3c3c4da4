import type { SecurityConfig } from '../../contract/security.js'
import { MERGE_PATCH, type MergePatch } from '../merge-patch.js'
import type { RequestOptions, Transport } from '../request.js'

/**
 * `parley.security`: the brand's security settings: how much of a client's address the audit log
 * keeps (`addresses`), how long it is kept (`auditRetentionDays`), whether plain agents see a
 * verified customer's history, and how identity tokens are verified (`identity`).
 */
export class SecurityResource {
  readonly #t: Transport
  constructor(transport: Transport) {
    this.#t = transport
  }

  /** The saved settings (`{}` when never saved: every default applies). */
  get(opts?: RequestOptions): Promise<SecurityConfig> {
    return this.#t.request({ method: 'GET', path: '/v1/security' }, opts)
  }

  /** Replaces the settings whole (a field left out goes back to its default). */
  set(config: SecurityConfig, opts?: RequestOptions): Promise<SecurityConfig> {
    return this.#t.request({ method: 'PUT', path: '/v1/security', body: config }, opts)
  }

  /** Changes only the fields given (JSON Merge Patch; null puts a field back to its default). */
  update(patch: MergePatch<SecurityConfig>, opts?: RequestOptions): Promise<SecurityConfig> {
    return this.#t.request({ method: 'PATCH', path: '/v1/security', body: patch, contentType: MERGE_PATCH }, opts)
  }
}
