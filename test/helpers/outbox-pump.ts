import type { ErrorFrame, MessageAck, ServerFrame } from '@parley/sdk/contract'
import type { TestClient } from './ws-client.js'

// A test sender that behaves like the widget's outbox: it sends a planned list of messages as fast
// as the relay acks them, with up to `window` in flight, and when it is attached to a new connection
// it first resends every message that was sent but never acked, with the same clientMsgId.

/** One message a sender means to send, in its place in the sender's order. */
export interface PlannedMessage {
  convId: string
  clientMsgId: string
  text: string
}

interface AckWaiter {
  n: number
  resolve: () => void
  reject: (e: Error) => void
}

/** Sends `plan` in order over whichever connection it is attached to, recording every ack. */
export class OutboxPump {
  readonly plan: readonly PlannedMessage[]
  readonly window: number
  /** The first ack received for each clientMsgId. */
  readonly acks = new Map<string, MessageAck>()
  /** Acks that repeated a clientMsgId with a different seq, convId or time: the relay broke its word. */
  readonly changedAcks: { first: MessageAck; again: MessageAck }[] = []
  /** Error frames the relay sent this sender. */
  readonly errors: ErrorFrame[] = []
  /** Messages sent at least once (possibly lost with a connection). */
  #sentUpTo = 0
  readonly #inFlight = new Set<string>()
  readonly #index = new Map<string, number>()
  #client: TestClient | null = null
  #onMessage: ((data: unknown) => void) | null = null
  #waiters: AckWaiter[] = []

  constructor(plan: readonly PlannedMessage[], window: number) {
    this.plan = plan
    this.window = window
    plan.forEach((m, i) => this.#index.set(m.clientMsgId, i))
  }

  /** Messages sent on the current connection and not acked yet. */
  get inFlight(): number {
    return this.#inFlight.size
  }

  /** How many messages were sent at least once. */
  get sent(): number {
    return this.#sentUpTo
  }

  /**
   * Starts sending over `client`: first every message sent before and never acked, in plan order,
   * then the rest. The pump lets go of the connection when it closes.
   */
  attach(client: TestClient): void {
    this.detach()
    this.#client = client
    this.#inFlight.clear()
    this.#onMessage = (data) => this.#receive(JSON.parse(String(data)) as ServerFrame)
    client.ws.on('message', this.#onMessage)
    client.ws.once('close', () => { if (this.#client === client) this.detach() })
    for (let i = 0; i < this.#sentUpTo; i++) {
      const m = this.plan[i]!
      if (!this.acks.has(m.clientMsgId)) this.#send(m)
    }
    this.#fill()
  }

  /** Stops sending; what is in flight stays unacked until the next attach resends it. */
  detach(): void {
    if (this.#client && this.#onMessage) this.#client.ws.off('message', this.#onMessage)
    this.#client = null
    this.#onMessage = null
    this.#inFlight.clear()
  }

  /** Resolves once at least `n` distinct messages are acked; rejects on an error frame. */
  whenAcked(n: number): Promise<void> {
    if (this.errors.length > 0) return Promise.reject(this.#errorOut())
    if (this.acks.size >= n) return Promise.resolve()
    return new Promise((resolve, reject) => this.#waiters.push({ n, resolve, reject }))
  }

  /** Resolves once every planned message is acked. */
  whenDone(): Promise<void> {
    return this.whenAcked(this.plan.length)
  }

  #send(m: PlannedMessage): void {
    const c = this.#client
    if (!c || c.ws.readyState !== c.ws.OPEN) return
    this.#inFlight.add(m.clientMsgId)
    c.send({ type: 'message.send', convId: m.convId, clientMsgId: m.clientMsgId, text: m.text })
  }

  #fill(): void {
    while (this.#client && this.#inFlight.size < this.window && this.#sentUpTo < this.plan.length) {
      const m = this.plan[this.#sentUpTo]!
      if (this.#client.ws.readyState !== this.#client.ws.OPEN) return
      this.#sentUpTo++
      this.#send(m)
    }
  }

  #receive(f: ServerFrame): void {
    if (f.type === 'message.ack' && this.#index.has(f.clientMsgId)) {
      this.#inFlight.delete(f.clientMsgId)
      const first = this.acks.get(f.clientMsgId)
      if (!first) this.acks.set(f.clientMsgId, f)
      else if (first.seq !== f.seq || first.convId !== f.convId || first.at !== f.at) this.changedAcks.push({ first, again: f })
      this.#fill()
      this.#wake()
    } else if (f.type === 'error') {
      this.errors.push(f)
      this.#wake()
    }
  }

  #errorOut(): Error {
    const e = this.errors[0]!
    return new Error(`relay refused a message: ${e.code} (ref ${e.ref ?? '-'}): ${e.message}`)
  }

  #wake(): void {
    const still: AckWaiter[] = []
    for (const w of this.#waiters) {
      if (this.errors.length > 0) w.reject(this.#errorOut())
      else if (this.acks.size >= w.n) w.resolve()
      else still.push(w)
    }
    this.#waiters = still
  }
}
