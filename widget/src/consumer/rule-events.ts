import type { RuleEvent, RuleEventBatch } from '@parley/sdk/contract'

// The counts of what deployment rules showed (impressions, clicks, dismissals, chats), gathered on
// the page and sent in batches: one request for what happens together, and what is left goes when
// the page is hidden or leaves (boot.ts calls flush). An event names a rule and an arm, never the
// visitor.

/** The most events one batch carries (RuleEventBatch's maxItems). */
export const MAX_BATCH = 50
/** How long an event waits for others before its batch goes. */
export const BATCH_DELAY_MS = 1500

/** How a batch leaves, and the timer that gathers one; boot.ts gives fetch with keepalive and setTimeout. */
export interface RuleEventSink {
  send(batch: RuleEventBatch): void
  schedule(fn: () => void, ms: number): void
}

/** Events waiting to be sent. */
export class RuleEventQueue {
  #pending: RuleEvent[] = []
  #scheduled = false
  readonly #sink: RuleEventSink

  constructor(sink: RuleEventSink) {
    this.#sink = sink
  }

  /** Counts one event; it goes with the next batch. */
  add(event: RuleEvent): void {
    this.#pending.push(event)
    if (this.#pending.length >= MAX_BATCH) return this.flush()
    if (this.#scheduled) return
    this.#scheduled = true
    this.#sink.schedule(() => {
      this.#scheduled = false
      this.flush()
    }, BATCH_DELAY_MS)
  }

  /** Sends everything waiting now, in batches of at most MAX_BATCH. */
  flush(): void {
    while (this.#pending.length > 0) this.#sink.send({ events: this.#pending.splice(0, MAX_BATCH) })
  }
}
