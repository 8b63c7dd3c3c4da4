import type { BrandInfo, BrandPatch } from '../../contract/rest.js'
import type { RequestOptions, Transport } from '../request.js'

/** `parley.brand`: the brand the API key belongs to. */
export class BrandResource {
  readonly #t: Transport
  constructor(transport: Transport) {
    this.#t = transport
  }

  /** The brand: id, name, site key, allowed origins. */
  get(opts?: RequestOptions): Promise<BrandInfo> {
    return this.#t.request({ method: 'GET', path: '/v1/brand' }, opts)
  }

  /** Renames the brand and/or replaces the origins its widget may run on; answers the brand as it now is. */
  update(patch: BrandPatch, opts?: RequestOptions): Promise<BrandInfo> {
    return this.#t.request({ method: 'PATCH', path: '/v1/brand', body: patch }, opts)
  }
}
