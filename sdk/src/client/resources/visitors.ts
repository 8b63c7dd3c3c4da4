import type { ConsentResult, VisitorSelector } from '../../contract/data-rights.js'
import type { RequestOptions, Transport } from '../request.js'

/**
 * `parley.visitors`: one visitor's data rights, the visitor named by a selector: `{ visitorId }`,
 * `{ customerId }` (the brand's verified customer) or `{ email }` (an address they gave in a form).
 * Every call needs an admin agent or a key with the `data:*` scope it names, and is audited.
 */
export class VisitorsResource {
  readonly #t: Transport
  constructor(transport: Transport) {
    this.#t = transport
  }

  /**
   * Records the visitor's consent to behavioural tracking on their behalf (the brand's own consent
   * manager), as `Parley('consent', …)` does on the page. `denied` deletes the pages viewed, time
   * on site, visit count and returning flag stored for the visitor and every conversation of
   * theirs, closed ones too, and stops visit counting. Key scope `data:erase`. NotFoundError
   * `PARLEY_ERR_VISITOR_NOT_FOUND` when the selector names nobody.
   */
  setConsent(selector: VisitorSelector, state: 'granted' | 'denied', opts?: RequestOptions): Promise<ConsentResult> {
    return this.#t.request({ method: 'POST', path: '/v1/visitors/consent', body: { selector, state } }, opts)
  }
}
