import type { CannedReply, CannedReplyInput, CannedReplyList, CannedReplyPatch, CannedReplyQuery } from '../../contract/canned-replies.js'
import type { RequestOptions, Transport } from '../request.js'

/**
 * `parley.cannedReplies`: the brand's saved answers, which agents insert by typing `/shortcut`.
 * The API key manages brand-wide replies; personal ones belong to agents and are kept in the console.
 */
export class CannedRepliesResource {
  readonly #t: Transport
  constructor(transport: Transport) {
    this.#t = transport
  }

  /** The brand's replies by shortcut; `q` matches shortcut, title and text in any case. */
  async list(query: CannedReplyQuery = {}, opts?: RequestOptions): Promise<CannedReply[]> {
    const page = await this.#t.request<CannedReplyList>({ method: 'GET', path: '/v1/canned-replies', query: { q: query.q, scope: query.scope } }, opts)
    return page.replies
  }

  /**
   * Saves a brand-wide reply (`scope: 'brand'`); ConflictError `PARLEY_ERR_CANNED_SHORTCUT_TAKEN`
   * when the brand already has the shortcut, `PARLEY_ERR_CANNED_LIMIT` when it keeps the most.
   */
  create(body: CannedReplyInput, opts?: RequestOptions): Promise<CannedReply> {
    return this.#t.request({ method: 'POST', path: '/v1/canned-replies', body }, opts)
  }

  /** Changes a reply's shortcut, title or text; NotFoundError `PARLEY_ERR_CANNED_NOT_FOUND` for an unknown id. */
  update(replyId: string, patch: CannedReplyPatch, opts?: RequestOptions): Promise<CannedReply> {
    return this.#t.request({ method: 'PATCH', path: `/v1/canned-replies/${encodeURIComponent(replyId)}`, body: patch }, opts)
  }

  /** Deletes a reply; NotFoundError `PARLEY_ERR_CANNED_NOT_FOUND` for an unknown id. */
  async delete(replyId: string, opts?: RequestOptions): Promise<void> {
    await this.#t.request({ method: 'DELETE', path: `/v1/canned-replies/${encodeURIComponent(replyId)}` }, opts)
  }
}
