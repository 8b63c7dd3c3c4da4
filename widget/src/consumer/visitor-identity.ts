import type { Connection } from '@parley/sdk/connection'
import type { VerifiedCustomer } from '@parley/sdk/contract'
import type { WidgetEvent } from './page-events.js'

// Who the visitor is to the brand: Parley('identify', token) and Parley('forget'), in the order the
// page called them. A logout is not queued behind the identifies (the connection waits for one in
// flight a few seconds at most), and an identify answered after a logout that began meanwhile
// changes nothing here.

/** What identify and forget need from the controller. */
export interface IdentityPort {
  /** The visitor's connection, made but not started. */
  connection(): Connection
  /** The visitor's connection, started. */
  live(): Connection
  /** Drops the page's own copy of the visit once the connection forgot its own; `tell`: the other tabs too. */
  forgotten(tell: boolean): Promise<void>
  emit(event: WidgetEvent, data?: unknown): void
}

/** The visitor's verified identity and the page's identify and forget calls. */
export class VisitorIdentity {
  /** The customer the relay verified this visitor as (welcome, identify); null: anonymous. */
  customer: VerifiedCustomer | null = null
  readonly #port: IdentityPort
  /** identify calls run one after another, each after any forget before it. */
  #identifies: Promise<void> = Promise.resolve()
  /** Forgets run one after another. */
  #forgetting: Promise<void> = Promise.resolve()
  /** Counts forgets, so an identify can tell that one began while it waited. */
  #forgets = 0

  constructor(port: IdentityPort) {
    this.#port = port
  }

  /**
   * The relay verifies the brand's token and this visitor becomes the customer's (their
   * conversations on any device; the current one comes along). A token for the customer already
   * verified here changes nothing; `identified` tells the page of a new one.
   */
  identify(token: string): Promise<void> {
    const run = this.#identifies.then(async () => {
      // Read before: the reconnect after the answer brings a welcome that already names the customer.
      const before = this.customer?.customerId
      const forgets = this.#forgets
      const customer = await this.#port.live().identify(token)
      if (forgets !== this.#forgets) return
      this.customer = customer
      if (customer.customerId !== before) this.#port.emit('identified', customer)
    })
    this.#identifies = run.catch(() => {})
    return run
  }

  /**
   * The visitor logged out: the relay ends the visit, the connection clears what it stored, then
   * the controller what the page kept; `forgotten` tells the page. `tell`: false when another tab
   * told this one.
   */
  forget(tell: boolean): Promise<void> {
    this.#forgets++
    const run = this.#forgetting.then(async () => {
      await this.#port.connection().forget({ reconnect: false })
      this.customer = null
      await this.#port.forgotten(tell)
      this.#port.emit('forgotten')
    })
    this.#forgetting = run.catch(() => {})
    // An identify the page calls after this forget runs after it.
    this.#identifies = this.#forgetting
    return run
  }
}
