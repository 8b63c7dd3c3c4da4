import type { SupervisorView } from '../../contract/routing.js'
import type { RequestOptions, Transport } from '../request.js'

/** `parley.supervisor`: the brand's floor right now, as the console's Floor view shows it. */
export class SupervisorResource {
  readonly #t: Transport
  constructor(transport: Transport) {
    this.#t = transport
  }

  /**
   * The routing mode, every agent with their status, open chats, capacity, skills, pending offers
   * and offers missed today (UTC), and the live chats waiting in offer order (at most 200; `queueLength` counts them all).
   */
  get(opts?: RequestOptions): Promise<SupervisorView> {
    return this.#t.request({ method: 'GET', path: '/v1/supervisor' }, opts)
  }
}
