import type { CorrectContact, CorrectionResult, ErasureReceipt, ErasureRequest, ExportFormat, VisitorExport, VisitorSelector } from '../../contract/data-rights.js'
import type { RequestOptions, Streamed, Transport } from '../request.js'

// `parley.visitors`: one visitor's data rights, named by visitor id, verified customer id or an
// e-mail address they gave. Every call is a POST, so an e-mail address never sits in a URL.

/** An export as it arrives: iterate it (once) for its bytes; `type` and `fileName` come from the relay. */
export interface ExportStream extends AsyncIterable<Uint8Array> {
  /** `application/json`, `text/html` or `text/plain` (with a charset). */
  type: string
  /** The name the relay suggests: `parley-export-YYYY-MM-DD.json` (`.html`, `.txt`). */
  fileName: string
}

/** The name in a Content-Disposition header. */
function fileNameOf(disposition: string | null): string {
  return (disposition ? /filename="([^"]*)"/i.exec(disposition)?.[1] : undefined) ?? ''
}

/** `parley.visitors`: export, correct and erase a visitor's data. */
export class VisitorsResource {
  readonly #t: Transport
  constructor(transport: Transport) {
    this.#t = transport
  }

  /**
   * Everything stored about the visitor: the versioned `parley.visitor-export` document (format
   * `json`, the default), or the same as an HTML page or plain text (a string) to hand to the visitor.
   * Read whole into memory: for a very large export, use exportStream. NotFoundError
   * (PARLEY_ERR_VISITOR_NOT_FOUND) when no visitor of the brand matches.
   */
  export(selector: VisitorSelector, opts?: RequestOptions & { format?: 'json' }): Promise<VisitorExport>
  export(selector: VisitorSelector, opts: RequestOptions & { format: 'html' | 'text' }): Promise<string>
  export(selector: VisitorSelector, opts: RequestOptions & { format?: ExportFormat } = {}): Promise<VisitorExport | string> {
    const { format = 'json', ...rest } = opts
    const text = format !== 'json'
    return this.#t.request({ method: 'POST', path: '/v1/visitors/export', body: { selector, format }, text }, rest)
  }

  /** The same export, its bytes handed over as they arrive: for exports too large to hold, or to write straight to a file. */
  async exportStream(selector: VisitorSelector, opts: RequestOptions & { format?: ExportFormat } = {}): Promise<ExportStream> {
    const { format = 'json', ...rest } = opts
    const s = await this.#t.request<Streamed>({ method: 'POST', path: '/v1/visitors/export', body: { selector, format }, stream: true }, rest)
    return {
      type: s.headers.get('content-type') ?? '',
      fileName: fileNameOf(s.headers.get('content-disposition')),
      [Symbol.asyncIterator]: () => s.chunks[Symbol.asyncIterator](),
    }
  }

  /**
   * New contact details (name and/or e-mail) for every conversation, customer record and contact
   * answer of the visitor; the old values are overwritten, not kept. Resolves with how many
   * records changed.
   */
  correct(selector: VisitorSelector, contact: CorrectContact['contact'], opts?: RequestOptions): Promise<CorrectionResult> {
    return this.#t.request({ method: 'POST', path: '/v1/visitors/correct', body: { selector, contact } }, opts)
  }

  /**
   * Erases the visitor's messages, answers, context, consent records and search entries on every
   * store, cache and node (each conversation keeps a stub: "erased on DATE"). `graceDays` 0 erases
   * at once and resolves with the receipt; more schedules an ErasureRequest (`status: 'scheduled'`),
   * cancellable with `parley.erasures.cancel` until it runs. Left out: the brand's
   * `erasureGraceDays` (parley.privacy), else 0. Retries reuse one Idempotency-Key.
   */
  erase(selector: VisitorSelector, opts: RequestOptions & { graceDays: 0 }): Promise<ErasureReceipt>
  erase(selector: VisitorSelector, opts?: RequestOptions & { graceDays?: number }): Promise<ErasureReceipt | ErasureRequest>
  erase(selector: VisitorSelector, opts: RequestOptions & { graceDays?: number } = {}): Promise<ErasureReceipt | ErasureRequest> {
    const { graceDays, ...rest } = opts
    return this.#t.request({ method: 'POST', path: '/v1/visitors/erase', body: { selector, ...(graceDays !== undefined ? { graceDays } : {}) } }, rest)
  }
}
