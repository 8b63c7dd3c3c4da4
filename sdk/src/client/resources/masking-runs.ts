import type { MaskingRun } from '../../contract/rest.js'
import type { RequestOptions, Transport } from '../request.js'

/** `parley.masking.runs`: runs of mask-existing. */
export class MaskingRunsResource {
  readonly #t: Transport
  constructor(transport: Transport) {
    this.#t = transport
  }

  /** One run as it is now; NotFoundError for an unknown run or another brand's. */
  retrieve(runId: string, opts?: RequestOptions): Promise<MaskingRun> {
    return this.#t.request({ method: 'GET', path: `/v1/masking/runs/${encodeURIComponent(runId)}` }, opts)
  }
}
