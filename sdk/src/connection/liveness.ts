import type { ClientClock } from './types.js'

// Noticing a dead socket. A socket whose network vanished without a FIN stays "open" for minutes,
// so three timers watch it: a heartbeat `ping` every heartbeat interval (the relay answers `pong`),
// an idle limit (nothing at all for two heartbeats), and the ack probe: a message waiting for its
// ack longer than `ackWaitMs` sends a `ping` at once, and no frame within `probeTimeoutMs` means
// the socket is dead. The probe is what makes a cut network show within seconds while a message is
// waiting; the idle limit still catches a quiet one.

/** Liveness settings; each has a default. */
export interface LivenessOptions {
  /** Nothing received for this long: presume the socket dead (default 2 × heartbeat). */
  idleTimeoutMs?: number
  /** A message unacked for this long starts a probe (default 2 s). */
  ackWaitMs?: number
  /** A probe with no frame back within this long declares the socket dead (default 2.5 s). */
  probeTimeoutMs?: number
}

/** What the watchdog does to the socket it watches. */
export interface LivenessPort {
  /** Sends an application `ping` (with a ref for a probe); false when the socket is not open. */
  ping(ref?: string): boolean
  /** The socket is presumed dead: close it and reconnect. */
  dead(): void
}

/** The watchdog of one socket; `reset()` when a new socket opens, `stop()` when it closes. */
export class Liveness {
  readonly #clock: ClientClock
  readonly #opts: LivenessOptions
  readonly #port: LivenessPort
  #heartbeatMs = 25_000
  #ping: unknown
  #idle: unknown
  #ackWait: unknown
  #probe: unknown
  #probes = 0

  constructor(clock: ClientClock, opts: LivenessOptions, port: LivenessPort) {
    this.#clock = clock
    this.#opts = opts
    this.#port = port
  }

  /** The socket opened (hello sent): start the idle limit. */
  opened(): void {
    this.#armIdle()
  }

  /** The relay's welcome set the heartbeat interval: start sending heartbeats. */
  welcomed(heartbeatMs: number): void {
    this.#heartbeatMs = heartbeatMs
    this.#armPing()
    this.#armIdle()
  }

  /** Any frame arrived: the socket is alive, so a running probe has its answer. */
  received(): void {
    this.#armIdle()
    this.#clock.clearTimeout(this.#probe)
    this.#probe = undefined
  }

  /** A message went out: if none was waiting before, its ack wait starts counting. */
  sent(): void {
    if (this.#ackWait === undefined) this.#armAckWait()
  }

  /** An ack came in: the count restarts for what still waits, or stops when nothing does. */
  acked(stillWaiting: boolean): void {
    this.#clock.clearTimeout(this.#ackWait)
    this.#ackWait = undefined
    if (stillWaiting) this.#armAckWait()
  }

  /** Sends a probe now (the platform hinted the network changed); no-op while one runs. */
  probe(): void {
    this.#startProbe()
  }

  /** Stops every timer (the socket closed). */
  stop(): void {
    for (const t of [this.#ping, this.#idle, this.#ackWait, this.#probe]) if (t !== undefined) this.#clock.clearTimeout(t)
    this.#ping = this.#idle = this.#ackWait = this.#probe = undefined
  }

  #armAckWait(): void {
    this.#ackWait = this.#clock.setTimeout(() => {
      this.#ackWait = undefined
      this.#startProbe()
    }, this.#opts.ackWaitMs ?? 2000)
  }

  #startProbe(): void {
    if (this.#probe !== undefined) return
    if (!this.#port.ping(`probe${(this.#probes++).toString(36)}`)) return
    this.#probe = this.#clock.setTimeout(() => {
      this.#probe = undefined
      this.#declareDead()
    }, this.#opts.probeTimeoutMs ?? 2500)
  }

  #armPing(): void {
    this.#clock.clearTimeout(this.#ping)
    this.#ping = this.#clock.setTimeout(() => {
      this.#port.ping()
      this.#armPing()
    }, this.#heartbeatMs)
  }

  #armIdle(): void {
    this.#clock.clearTimeout(this.#idle)
    // Nothing at all for two heartbeats: the network is gone even if the socket has not noticed.
    this.#idle = this.#clock.setTimeout(() => this.#declareDead(), this.#opts.idleTimeoutMs ?? this.#heartbeatMs * 2)
  }

  #declareDead(): void {
    this.stop()
    this.#port.dead()
  }
}
