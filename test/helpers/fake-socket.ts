import type { ClientClock, NetworkSignal, WebSocketFactory, WebSocketLike } from '../../sdk/src/connection/connection.js'

// Stand-ins for the connection client's injected world, for unit tests of its state machine: a
// clock whose timers fire only when the test moves time, a WebSocket the test opens, feeds and
// closes by hand, and a network signal the test flips. The real relay is in the integration tests.

/** A ClientClock whose timers run when the test calls `advance`. */
export interface ManualClock extends ClientClock {
  /** Moves time forward by `ms`, running every timer that falls due, in order. */
  advance(ms: number): void
}

/** A manual clock starting at `start`. */
export function createManualClock(start = 1_000_000): ManualClock {
  let now = start
  let next = 0
  const timers = new Map<number, { at: number; fn: () => void }>()
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const id = ++next
      timers.set(id, { at: now + ms, fn })
      return id
    },
    clearTimeout(h) { timers.delete(h as number) },
    advance(ms) {
      const end = now + ms
      for (;;) {
        const due = [...timers].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0]
        if (!due) break
        timers.delete(due[0])
        now = due[1].at
        due[1].fn()
      }
      now = end
    },
  }
}

/** One socket the client opened; the test plays the relay. */
export interface FakeSocket extends WebSocketLike {
  readonly url: string
  /** Frames the client sent, parsed. */
  readonly sent: { type: string; [k: string]: unknown }[]
  /** How the client closed it, if it did. */
  closedWith: { code?: number; reason?: string } | null
  /** The relay accepts the connection. */
  open(): void
  /** The relay sends a frame. */
  receive(frame: object): void
}

/** A WebSocket factory that records every socket the client opens. */
export function createFakeSockets(): { sockets: FakeSocket[]; WebSocket: WebSocketFactory } {
  const sockets: FakeSocket[] = []
  class Fake implements FakeSocket {
    readyState = 0
    readonly sent: { type: string; [k: string]: unknown }[] = []
    closedWith: { code?: number; reason?: string } | null = null
    onopen: ((ev: unknown) => void) | null = null
    onmessage: ((ev: { data: unknown }) => void) | null = null
    onclose: ((ev: { code: number; reason: string }) => void) | null = null
    onerror: ((ev: unknown) => void) | null = null
    constructor(readonly url: string) { sockets.push(this) }
    send(data: string): void { this.sent.push(JSON.parse(data)) }
    close(code?: number, reason?: string): void {
      this.readyState = 3
      this.closedWith = { ...(code !== undefined ? { code } : {}), ...(reason !== undefined ? { reason } : {}) }
    }
    open(): void {
      this.readyState = 1
      this.onopen?.({})
    }
    receive(frame: object): void { this.onmessage?.({ data: JSON.stringify(frame) }) }
  }
  return { sockets, WebSocket: Fake }
}

/** A network signal the test flips with `set`. */
export interface FakeNetwork extends NetworkSignal {
  set(online: boolean): void
}

/** A fake network, online at first unless told otherwise. */
export function createFakeNetwork(online = true): FakeNetwork {
  const fns = new Set<(online: boolean) => void>()
  return {
    isOnline: () => online,
    subscribe(fn) {
      fns.add(fn)
      return () => { fns.delete(fn) }
    },
    set(value) {
      online = value
      for (const fn of fns) fn(value)
    },
  }
}

/** A welcome frame for a visitor, as the relay would send it. */
export function welcomeFrame(heartbeatMs = 25_000): object {
  return {
    type: 'welcome', protocol: 1, heartbeatMs, conversations: [],
    identity: { kind: 'visitor', brandId: 'b1', visitorId: 'v1', token: 't', expiresAt: 9e15 },
    limits: { maxFrameBytes: 65536, maxTextLength: 4000, messagesPerSecond: 5, maxResumeConversations: 500 },
  }
}
