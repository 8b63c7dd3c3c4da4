import type { SessionInfo, SessionList } from '../../contract/security.js'
import type { RequestOptions, Transport } from '../request.js'

/** `parley.sessions`: agents' signed-in console sessions (the client's key needs the `agents:write` scope). */
export class SessionsResource {
  readonly #t: Transport
  constructor(transport: Transport) {
    this.#t = transport
  }

  /** Sessions that still work, newest first; one agent's with `agentId`. */
  async list(query: { agentId?: string } = {}, opts?: RequestOptions): Promise<SessionInfo[]> {
    const page = await this.#t.request<SessionList>({ method: 'GET', path: '/v1/sessions', query: { agentId: query.agentId } }, opts)
    return page.sessions
  }

  /**
   * Revokes a session: its token is refused at once, and its live connections close, on every node.
   * NotFoundError `PARLEY_ERR_SESSION_NOT_FOUND` for an unknown id.
   */
  async revoke(sessionId: string, opts?: RequestOptions): Promise<void> {
    await this.#t.request({ method: 'DELETE', path: `/v1/sessions/${encodeURIComponent(sessionId)}` }, opts)
  }
}
