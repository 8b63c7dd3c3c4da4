import type { Account, AccountList } from '../../contract/security.js'
import type { RequestOptions, Transport } from '../request.js'

/**
 * `parley.accounts`: the brand's agent accounts in full, as the console's admin page lists them (the
 * client's key needs the `agents:write` scope). Change one with `parley.agents.update`.
 */
export class AccountsResource {
  readonly #t: Transport
  constructor(transport: Transport) {
    this.#t = transport
  }

  /** Every account by name, deactivated ones included: e-mail, role, active, capacity, skills, created. */
  async list(opts?: RequestOptions): Promise<Account[]> {
    const page = await this.#t.request<AccountList>({ method: 'GET', path: '/v1/accounts' }, opts)
    return page.accounts
  }
}
