import type { Agent, AgentList, Colleague, CreateAgent } from '../../contract/rest.js'
import type { AgentPatch, AgentPresenceList } from '../../contract/agents.js'
import { PagedList } from '../pages.js'
import type { RequestOptions, Transport } from '../request.js'

/** `parley.agents`: the brand's agent accounts and their availability. */
export class AgentsResource {
  readonly #t: Transport
  constructor(transport: Transport) {
    this.#t = transport
  }

  /** The brand's agents by name (one page today; iterate it, so paging can come without a change). */
  list(opts?: RequestOptions): PagedList<Colleague, AgentList> {
    return new PagedList<Colleague, AgentList>({
      fetch: () => this.#t.request<AgentList>({ method: 'GET', path: '/v1/agents' }, opts),
      items: (page) => page.agents,
      next: () => null,
    })
  }

  /** Creates an agent (role `agent` unless `role` says otherwise) who can then sign in to the console; PARLEY_ERR_TENANT_EXISTS if the e-mail is taken. */
  create(body: CreateAgent, opts?: RequestOptions): Promise<Agent> {
    return this.#t.request({ method: 'POST', path: '/v1/agents', body }, opts)
  }

  /**
   * Renames an agent, changes how many chats they take at once, replaces their skills (teams:
   * automatic routing offers them chats needing one of these), changes their `role`, or deactivates
   * (`active: false`: their sessions end at once) or reactivates the account. NotFoundError
   * `PARLEY_ERR_AGENT_NOT_FOUND` for an unknown id; ConflictError `PARLEY_ERR_AUTH_LAST_ADMIN` when
   * the brand would be left without an active admin (nothing of the patch is applied then).
   */
  update(agentId: string, patch: AgentPatch, opts?: RequestOptions): Promise<Agent> {
    return this.#t.request({ method: 'PATCH', path: `/v1/agents/${encodeURIComponent(agentId)}`, body: patch }, opts)
  }

  /** Every agent's availability now: status (available, away, offline), open chats and capacity. */
  presence(opts?: RequestOptions): Promise<AgentPresenceList> {
    return this.#t.request({ method: 'GET', path: '/v1/agents/presence' }, opts)
  }
}
