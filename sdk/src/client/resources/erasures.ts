import type { ErasureRequest, ErasureRequestList } from '../../contract/data-rights.js'
import type { RequestOptions, Transport } from '../request.js'

/**
 * `parley.erasures`: the brand's erasure requests (made with `parley.visitors.erase`): scheduled
 * ones, cancelled ones, and done ones with their receipts. They name the selector's kind, never
 * its value.
 */
export class ErasuresResource {
  readonly #t: Transport
  constructor(transport: Transport) {
    this.#t = transport
  }

  /** The brand's latest 100 requests, newest first. */
  async list(opts?: RequestOptions): Promise<ErasureRequest[]> {
    return (await this.#t.request<ErasureRequestList>({ method: 'GET', path: '/v1/erasures' }, opts)).requests
  }

  /** One request; NotFoundError (PARLEY_ERR_ERASURE_NOT_FOUND) when the brand has none by that id. */
  get(requestId: string, opts?: RequestOptions): Promise<ErasureRequest> {
    return this.#t.request({ method: 'GET', path: `/v1/erasures/${encodeURIComponent(requestId)}` }, opts)
  }

  /**
   * Cancels a scheduled request within its grace period; ConflictError
   * (PARLEY_ERR_ERASURE_NOT_CANCELLABLE) once it is due, done or already cancelled.
   */
  cancel(requestId: string, opts?: RequestOptions): Promise<ErasureRequest> {
    return this.#t.request({ method: 'DELETE', path: `/v1/erasures/${encodeURIComponent(requestId)}` }, opts)
  }
}
