import type { AuditEntry, AuditPage, AuditQuery } from '../../contract/security.js'
import { PagedList } from '../pages.js'
import type { RequestOptions, Transport } from '../request.js'

/**
 * `parley.audit`: the brand's audit log (needs a key with `audit:read`): who read or searched
 * transcripts, changed configuration, keys or accounts, signed in, or was refused, when, and from
 * which network. It never holds message text.
 */
export class AuditResource {
  readonly #t: Transport
  constructor(transport: Transport) {
    this.#t = transport
  }

  /**
   * Entries newest first, filtered by actor, action and time (`from` inclusive, `to` exclusive, ms);
   * `limit` is the page size (default 100). Iterate for every entry, or `.pages()` for the pages.
   */
  list(query: Omit<AuditQuery, 'cursor'> = {}, opts?: RequestOptions): PagedList<AuditEntry, AuditPage> {
    return new PagedList({
      fetch: (cursor) => this.#t.request<AuditPage>({ method: 'GET', path: '/v1/audit', query: { ...query, cursor } }, opts),
      items: (page) => page.entries,
      next: (page) => page.next,
    })
  }
}
