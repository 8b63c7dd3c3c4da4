// While Redis is down every shared-limit take, heartbeat and lease fails, many times a second: the
// log says so once when the failures start and once when Redis answers again, not once per call.

/** Where the outage's two moments go. */
export interface OutageReports {
  /** The first failure after Redis answered (or since the start). */
  down(err: unknown, what: string): void
  /** Redis answered again after a failure. */
  up(): void
}

/** How one kind of Redis call went: each failure and each success. */
export interface RedisHealth {
  failed(err: unknown): void
  ok(): void
}

/** Turns every success and failure of Redis calls into the outage's start and end. */
export class RedisOutage {
  readonly #reports: OutageReports
  #down = false

  constructor(reports: OutageReports) {
    this.#reports = reports
  }

  /** A call failed. */
  failed(err: unknown, what: string): void {
    if (this.#down) return
    this.#down = true
    this.#reports.down(err, what)
  }

  /** A call succeeded. */
  ok(): void {
    if (!this.#down) return
    this.#down = false
    this.#reports.up()
  }

  /** The health of the calls named `what` (the name a failure is reported under). */
  health(what: string): RedisHealth {
    return { failed: (err) => this.failed(err, what), ok: () => this.ok() }
  }
}
