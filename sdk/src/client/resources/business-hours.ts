import type { BusinessHours } from '../../contract/rules.js'
import { NotFoundError } from '../errors.js'
import { MERGE_PATCH, type MergePatch } from '../merge-patch.js'
import type { RequestOptions, Transport } from '../request.js'

/** `parley.businessHours`: when the brand is open, in its time zone, with holidays. */
export class BusinessHoursResource {
  readonly #t: Transport
  constructor(transport: Transport) {
    this.#t = transport
  }

  /** The saved hours, or null when none are set (the brand is always open). */
  async get(opts?: RequestOptions): Promise<BusinessHours | null> {
    try {
      return await this.#t.request<BusinessHours>({ method: 'GET', path: '/v1/business-hours' }, opts)
    } catch (err) {
      if (err instanceof NotFoundError && err.code === 'PARLEY_ERR_HOURS_NOT_FOUND') return null
      throw err
    }
  }

  /**
   * Replaces the hours whole. An unknown time zone or a malformed interval or holiday fails with
   * InvalidRequestError PARLEY_ERR_HOURS_INVALID naming the path; nothing is saved.
   */
  set(hours: BusinessHours, opts?: RequestOptions): Promise<BusinessHours> {
    return this.#t.request({ method: 'PUT', path: '/v1/business-hours', body: hours }, opts)
  }

  /** Changes only what the patch names (a day's list and `holidays` are replaced whole); NotFoundError when none are set. */
  update(patch: MergePatch<BusinessHours>, opts?: RequestOptions): Promise<BusinessHours> {
    return this.#t.request({ method: 'PATCH', path: '/v1/business-hours', body: patch, contentType: MERGE_PATCH }, opts)
  }

  /** Removes the hours: the brand is always open again. */
  async remove(opts?: RequestOptions): Promise<void> {
    await this.#t.request({ method: 'DELETE', path: '/v1/business-hours' }, opts)
  }
}
