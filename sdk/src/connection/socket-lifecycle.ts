import type { ClientFrame, ServerFrame, Welcome } from '../contract/frames.js'
import type { ErrorCode } from '../contract/errors.js'
import { backoffDelay } from './backoff.js'
import { errorInfo } from './connection-error.js'
import { localCodeForClose } from './local-codes.js'
import { Liveness } from './liveness.js'
import type { ClientClock, ConnectionErrorInfo, ConnectionOptions, ConnectionState, WebSocketLike } from './types.js'

// The socket's life: open it, notice it died (close events, the liveness watchdog, the platform's
// offline event), wait out the backoff or the network, open the next one. It owns the connection
// state; what a socket carries (hello, frames) is the port's business.

const OPEN = 1
/**
 * While the network signal says offline, a connection is still tried this often: the signal is a
 * hint, and browsers in VMs or behind some VPNs report offline while the network works.
 */
export const OFFLINE_RETRY_MS = 30_000

/** What the lifecycle asks of the connection. */
export interface SocketPort {
  /** Loads what the first hello needs (stored token, cursors); awaited before every attempt. */
  prepare(): Promise<void>
  /** The socket opened: send hello. */
  opened(): void
  /** A frame arrived. */
  frame(frame: ServerFrame): void
  /** The socket is gone: forget what was in flight on it. */
  lost(): void
  /** The socket closed with `reason`: retry with backoff, retry at once, or stop for good. */
  closedBy(reason: ErrorCode | null): 'retry' | 'retry-now' | 'stop'
  state(state: ConnectionState): void
  error(info: ConnectionErrorInfo): void
}

/** Whether a ws:// URL points at this machine (the only place plain ws:// is allowed). */
function isInsecure(url: string): boolean {
  const m = /^ws:\/\/(\[[^\]]+\]|[^/:?#]+)/i.exec(url)
  if (!m) return false
  const host = m[1]!.toLowerCase()
  return !(host === 'localhost' || host === '127.0.0.1' || host === '[::1]' || host.endsWith('.localhost'))
}

/** One connection's sockets, one after another. */
export class SocketLifecycle {
  readonly liveness: Liveness
  readonly #opts: ConnectionOptions
  readonly #clock: ClientClock
  readonly #port: SocketPort
  #state: ConnectionState = { kind: 'idle' }
  #ws: WebSocketLike | null = null
  #attempt = 0
  /** A socket was lost since start(): later attempts are reconnections. */
  #lostOne = false
  #stopped = false
  #retryTimer: unknown
  #unsubscribeNetwork: (() => void) | null = null

  constructor(opts: ConnectionOptions, clock: ClientClock, port: SocketPort) {
    this.#opts = opts
    this.#clock = clock
    this.#port = port
    this.liveness = new Liveness(clock, opts, {
      ping: (ref) => this.write(ref === undefined ? { type: 'ping' } : { type: 'ping', ref }),
      dead: () => this.#dropSocket(4000, 'idle'),
    })
  }

  get state(): ConnectionState {
    return this.#state
  }

  /** Starts connecting (refusing plain ws:// off this machine); no-op unless idle or stopped. */
  start(): void {
    if (this.#state.kind !== 'idle' && this.#state.kind !== 'stopped') return
    this.#stopped = false
    this.#lostOne = false
    if (isInsecure(this.#opts.url)) {
      const info = errorInfo('PARLEY_ERR_CONNECTION_INSECURE', [this.#opts.url])
      this.#setState({ kind: 'stopped', code: info.code })
      this.#port.error(info)
      return
    }
    this.#unsubscribeNetwork ??= this.#opts.network?.subscribe((online) => this.#onNetwork(online)) ?? null
    void this.#connect()
  }

  /** Closes the socket and stops for good. */
  stop(): void {
    this.#stopped = true
    this.#unsubscribeNetwork?.()
    this.#unsubscribeNetwork = null
    this.#clearTimers()
    const ws = this.#ws
    this.#ws = null
    if (ws && ws.readyState <= OPEN) ws.close(1000, 'client stopped')
    this.#port.lost()
    this.#setState({ kind: 'stopped', code: null })
  }

  /** The relay welcomed us: the connection is open. */
  welcomed(w: Welcome): void {
    this.#attempt = 0
    this.#setState({ kind: 'open', welcome: w })
    this.liveness.welcomed(w.heartbeatMs)
  }

  /** Writes a frame to the open socket; false when there is none. */
  write(frame: ClientFrame): boolean {
    const ws = this.#ws
    if (!ws || ws.readyState !== OPEN) return false
    ws.send(JSON.stringify(frame))
    return true
  }

  /** Opens the next socket; `despiteOffline` is the slow retry that doubts the network signal. */
  async #connect(despiteOffline = false): Promise<void> {
    await this.#port.prepare()
    if (this.#stopped || this.#ws) return
    if (!despiteOffline && this.#isOffline()) {
      this.#waitOffline()
      return
    }
    this.#attempt++
    this.#setState({ kind: 'connecting', attempt: this.#attempt, reconnecting: this.#lostOne })
    let ws: WebSocketLike
    try {
      ws = new this.#opts.WebSocket(this.#opts.url)
    } catch {
      this.#scheduleRetry(null)
      return
    }
    this.#ws = ws
    ws.onopen = () => {
      if (this.#ws !== ws) return
      this.#port.opened()
      this.liveness.opened()
    }
    ws.onmessage = (ev) => {
      if (this.#ws !== ws) return
      this.liveness.received()
      let frame: ServerFrame
      try {
        frame = JSON.parse(String(ev.data)) as ServerFrame
      } catch {
        return
      }
      this.#port.frame(frame)
    }
    ws.onclose = (ev) => {
      if (this.#ws === ws) this.#onClose(ev.code)
    }
    ws.onerror = () => { /* a close event follows */ }
  }

  #onClose(code: number): void {
    this.#ws = null
    this.#lostOne = true
    this.#clearTimers()
    this.#port.lost()
    if (this.#stopped) return
    const reason = localCodeForClose(code)
    switch (this.#port.closedBy(reason)) {
      case 'retry-now': this.#scheduleRetry(reason, 0); break
      case 'stop':
        this.#setState({ kind: 'stopped', code: reason })
        this.#port.error(errorInfo(reason!))
        break
      default: this.#scheduleRetry(reason)
    }
  }

  #scheduleRetry(code: ErrorCode | null, delayMs?: number): void {
    if (this.#isOffline()) {
      this.#waitOffline()
      return
    }
    const delay = delayMs ?? backoffDelay(this.#attempt, (this.#opts.random ?? Math.random)(), this.#opts.backoff)
    this.#setState({ kind: 'retrying', attempt: this.#attempt, at: this.#clock.now() + delay, code })
    this.#retryTimer = this.#clock.setTimeout(() => {
      this.#retryTimer = undefined
      if (!this.#stopped) void this.#connect()
    }, delay)
  }

  /** The platform says the network went away or came back. */
  #onNetwork(online: boolean): void {
    if (this.#stopped) return
    if (!online) {
      // No socket can work offline, and one left open would only be noticed by the idle limit.
      if (this.#ws) this.#dropSocket(4000, 'offline')
      else if (this.#state.kind !== 'stopped') this.#waitOffline()
      return
    }
    if (this.#state.kind === 'open') {
      // A new network (Wi-Fi to mobile) may have left this socket dead: ask it.
      this.liveness.probe()
      return
    }
    if (this.#state.kind === 'offline' || this.#state.kind === 'retrying') {
      // Back online: try now rather than when the backoff says.
      this.#clock.clearTimeout(this.#retryTimer)
      this.#retryTimer = undefined
      // Counted as a first retry: a failure now waits a short backoff, not the long one reached offline.
      this.#attempt = 1
      void this.#connect()
    }
  }

  #isOffline(): boolean {
    return this.#opts.network !== undefined && !this.#opts.network.isOnline()
  }

  /** Shows offline and tries again in OFFLINE_RETRY_MS, or at once when the signal says online. */
  #waitOffline(): void {
    if (this.#state.kind !== 'offline') this.#setState({ kind: 'offline' })
    this.#clock.clearTimeout(this.#retryTimer)
    this.#retryTimer = this.#clock.setTimeout(() => {
      this.#retryTimer = undefined
      if (!this.#stopped) void this.#connect(true)
    }, OFFLINE_RETRY_MS)
  }

  /** Closes the current socket as dead (no close event will come) and reconnects. */
  #dropSocket(code: number, reason: string): void {
    const ws = this.#ws
    if (!ws) return
    this.#ws = null
    ws.onclose = null
    ws.close(code, reason)
    this.#onClose(1006)
  }

  #clearTimers(): void {
    this.liveness.stop()
    this.#clock.clearTimeout(this.#retryTimer)
    this.#retryTimer = undefined
  }

  #setState(state: ConnectionState): void {
    this.#state = state
    this.#port.state(state)
  }
}
