import type { WebSocket } from 'ws'
import {
  ERRORS, type ClientFrame, type ErrorCode, type MessageNew, type Participant, type ServerFrame, type VisitorContext,
} from '@parley/sdk/contract'
import type { Brand } from '../store/store.js'
import { errorFrame } from '../errors.js'
import type { RelayContext } from './context.js'
import type { FanoutTarget } from './fanout.js'
import { parseClientFrame } from './frame-parser.js'
import { TokenBucket } from './rate-limiter.js'
import { handleFrame } from './dispatch.js'
import { rawSocket } from './cork.js'

// One WebSocket connection from hello to close: receives frames in order, enforces the per-connection
// limits, and delivers fan-out without gaps or repeats. What each frame does lives in the handlers.

/** Where a conversation's live delivery stands on this connection. */
type ConvState =
  /** Replaying from the store: live frames wait here and are merged by seq afterwards. */
  | { mode: 'resuming'; buffered: MessageNew[] }
  /** Replay stopped at a page boundary: live frames are dropped until the client resumes again. */
  | { mode: 'behind' }

/** A live connection. Handlers reach its state through the public members. */
export class LiveSession implements FanoutTarget {
  readonly connId: string
  readonly ctx: RelayContext
  readonly ws: WebSocket
  /** The brand named by `?site=` on the upgrade (visitors), checked against the Origin already. */
  readonly siteBrand: Brand | null
  brandId = ''
  identity = ''
  who: Participant | null = null
  visitorContext: VisitorContext | null = null
  /** Highest seq of each conversation delivered to this connection. */
  readonly lastSent = new Map<string, number>()
  readonly convState = new Map<string, ConvState>()
  /** Conversations a visitor's message was stored in on this connection: they exist, so later messages need not carry the context that opens one. */
  readonly storedIn = new Set<string>()

  /** A visitor's key in the relay's per-visitor message buckets, set once authenticated. */
  #visitorBucket = ''
  #alive = true
  #closing = false
  #strikes = 0
  #busy = false
  #quiet = false
  /** Fan-out that arrives between joining fan-out and sending welcome waits here. */
  #early: [ServerFrame, string][] | null = []
  #pendingAppends = 0
  readonly #appendWaiters: (() => void)[] = []
  readonly #queue: ClientFrame[] = []
  readonly #frames: TokenBucket
  readonly #messages: TokenBucket
  readonly #helloTimer: NodeJS.Timeout

  constructor(ws: WebSocket, ctx: RelayContext, siteBrand: Brand | null) {
    this.ws = ws
    this.ctx = ctx
    this.siteBrand = siteBrand
    this.connId = ctx.deps.ids.next('c_')
    const now = ctx.deps.clock.now()
    this.#frames = new TokenBucket(ctx.limits.framesPerSecond, ctx.limits.framesPerSecond * 2, now)
    this.#messages = new TokenBucket(ctx.limits.messagesPerSecond, ctx.limits.messagesPerSecond * 2, now)
    this.#helloTimer = setTimeout(() => this.fail('PARLEY_ERR_PROTOCOL_HELLO_TIMEOUT', [ctx.limits.helloTimeoutMs]), ctx.limits.helloTimeoutMs)
    this.#helloTimer.unref()
    ws.on('message', (data, isBinary) => this.#receive(data as Buffer, isBinary))
    ws.on('pong', () => { this.#alive = true })
    ws.on('close', () => this.#closed())
    ws.on('error', () => { /* 'close' follows; the cause is in ws's close code */ })
  }

  /** Whether the connection answered since the last heartbeat; resets the flag for the next one. */
  checkAlive(): boolean {
    const alive = this.#alive
    this.#alive = false
    return alive
  }

  /** A hello arrived in time: however long the store takes to answer it, the hello timer is done. */
  helloReceived(): void {
    clearTimeout(this.#helloTimer)
  }

  /** Whether the socket has closed (or is closing); handlers that waited on the store check it. */
  get isClosed(): boolean {
    return this.#closing
  }

  /**
   * Resolves when the socket's send queue is below half its bound, so a long replay waits for a slow
   * reader instead of tripping the slow-consumer limit.
   */
  async whenWritable(): Promise<void> {
    const limit = this.ctx.limits.sendQueueBytes / 2
    const socket = rawSocket(this.ws)
    while (!this.#closing && this.ws.readyState === 1 && this.ws.bufferedAmount > limit && socket) {
      await new Promise<void>((resolve) => {
        const done = () => { socket.off('drain', done); socket.off('close', done); resolve() }
        socket.once('drain', done)
        socket.once('close', done)
      })
    }
  }

  /** Marks the connection authenticated; called once by the hello handler. */
  authenticated(brandId: string, who: Participant): void {
    this.brandId = brandId
    this.who = who
    this.identity = `${who.kind}:${who.id}`
    if (who.kind === 'visitor') this.#visitorBucket = `${brandId}/${who.id}`
  }

  /** Sends welcome, then whatever fan-out arrived while hello was being answered. */
  welcome(frame: ServerFrame): void {
    this.send(frame)
    const early = this.#early ?? []
    this.#early = null
    for (const [f, json] of early) this.deliver(f, json)
  }

  /** Sends a frame to this connection alone. */
  send(frame: ServerFrame): void {
    this.#sendJson(JSON.stringify(frame))
  }

  /** Fan-out entry point: keeps each conversation's messages in seq order with no repeats. */
  deliver(frame: ServerFrame, json: string): void {
    if (this.#early) { this.#early.push([frame, json]); return }
    if (frame.type === 'message.new') {
      const state = this.convState.get(frame.convId)
      if (state?.mode === 'resuming') { state.buffered.push(frame); return }
      if (state?.mode === 'behind') return
      if (!this.markSent(frame.convId, frame.seq)) return
    }
    this.#sendJson(json)
  }

  /** Records that `seq` of a conversation reached this connection; false if it already had it. */
  markSent(convId: string, seq: number): boolean {
    const last = this.lastSent.get(convId)
    if (last !== undefined && seq <= last) return false
    this.lastSent.set(convId, seq)
    return true
  }

  /** Answers a bad frame with a typed error; too many in a row close the connection. */
  reject(code: ErrorCode, args: readonly unknown[], ref?: string, retryAfterMs?: number): void {
    this.send(errorFrame(code, args, ref, retryAfterMs))
    if (++this.#strikes >= this.ctx.limits.floodCloseAfter) this.fail('PARLEY_ERR_LIMIT_FLOOD', [])
  }

  /** Sends a typed error and closes with the table's close code. */
  fail(code: ErrorCode, args: readonly unknown[], ref?: string): void {
    if (this.#closing) return
    this.send(errorFrame(code, args, ref))
    this.#closeWith(code)
  }

  #closeWith(code: ErrorCode): void {
    this.#closing = true
    this.ws.close(ERRORS[code].close ?? 1008, code)
    // A reader that never drains its socket never completes the close handshake either.
    setTimeout(() => this.ws.terminate(), 2000).unref()
  }

  #sendJson(json: string): void {
    if (this.#closing || this.ws.readyState !== 1) return
    this.ctx.writes.willWrite(this.ws)
    this.ws.send(json)
    if (this.ws.bufferedAmount > this.ctx.limits.sendQueueBytes) {
      this.ctx.log.warn({ connId: this.connId, brandId: this.brandId, queued: this.ws.bufferedAmount }, 'slow consumer dropped')
      // The queue is already over its bound: one small error frame more, then no more sends.
      this.ws.send(JSON.stringify(errorFrame('PARLEY_ERR_LIMIT_SLOW_CONSUMER', [this.ctx.limits.sendQueueBytes])))
      this.#closeWith('PARLEY_ERR_LIMIT_SLOW_CONSUMER')
    }
  }

  /**
   * Stops taking frames (shutdown): what arrives from now on is neither stored nor acked, so the
   * client's outbox sends it again after reconnecting. Acks for what is already queued still go out.
   */
  quiesce(): void {
    this.#quiet = true
  }

  #receive(data: Buffer, isBinary: boolean): void {
    this.#alive = true
    if (this.#closing || this.#quiet) return
    const now = this.ctx.deps.clock.now()
    const parsed = parseClientFrame(data, isBinary, this.ctx.limits.maxFrameBytes)
    if (!parsed.ok) return this.reject(parsed.code, parsed.args, parsed.ref)
    const frame = parsed.frame
    const limited = this.#frames.take(now)
    if (!limited.ok) {
      return this.reject('PARLEY_ERR_LIMIT_RATE', [this.ctx.limits.framesPerSecond, limited.retryAfterMs], refOf(frame), limited.retryAfterMs)
    }
    if (frame.type === 'message.send') {
      const m = this.#messages.take(now)
      const v = m.ok && this.who?.kind === 'visitor' ? this.ctx.visitorBuckets.take(this.#visitorBucket, now) : m
      if (!v.ok) {
        const rate = m.ok ? this.ctx.limits.visitorMessagesPerSecond : this.ctx.limits.messagesPerSecond
        return this.reject('PARLEY_ERR_LIMIT_RATE', [rate, v.retryAfterMs], frame.clientMsgId, v.retryAfterMs)
      }
    }
    if (this.#busy) {
      // An earlier frame is waiting on the store; keep order. The rate limits bound this queue.
      this.#queue.push(frame)
      return
    }
    this.#run(frame)
  }

  /** Counts a message queued for commit from this connection; `settled` must follow once. */
  appendStarted(): void {
    this.#pendingAppends++
  }

  /** A queued message's commit finished (stored or refused). */
  appendSettled(): void {
    if (--this.#pendingAppends === 0) for (const resolve of this.#appendWaiters.splice(0)) resolve()
  }

  #run(frame: ClientFrame): void {
    // Frames take effect in the order sent: a close or typing frame right after a message waits
    // until that message is committed (messages themselves pipeline through the group commit;
    // ping touches no state and answers at once).
    if (frame.type !== 'message.send' && frame.type !== 'ping' && this.#pendingAppends > 0) {
      this.#busy = true
      new Promise<void>((resolve) => this.#appendWaiters.push(resolve)).then(() => {
        this.#busy = false
        if (this.#closing) return
        this.#run(frame)
        this.#drain()
      }, () => {})
      return
    }
    let pending: Promise<boolean> | boolean
    try {
      pending = handleFrame(this, frame)
    } catch (err) {
      pending = false
      this.#internal(err, frame)
    }
    if (pending === true) { this.#strikes = 0; return }
    if (pending === false) return
    this.#busy = true
    pending.then(
      (ok) => { if (ok) this.#strikes = 0 },
      (err) => this.#internal(err, frame),
    ).finally(() => {
      this.#busy = false
      this.#drain()
    })
  }

  #drain(): void {
    while (!this.#busy && this.#queue.length > 0 && !this.#closing) this.#run(this.#queue.shift()!)
  }

  #internal(err: unknown, frame: ClientFrame): void {
    const ref = this.ctx.deps.ids.next('e_')
    this.ctx.log.error({ err, ref, connId: this.connId, brandId: this.brandId, frameType: frame.type }, 'frame handler failed')
    this.send(errorFrame('PARLEY_ERR_SERVER_INTERNAL', [ref], refOf(frame)))
  }

  #closed(): void {
    clearTimeout(this.#helloTimer)
    this.#closing = true
    this.#queue.length = 0
    this.ctx.fanout.remove(this)
  }
}

/** The correlation id a frame carries, echoed in errors. */
export function refOf(frame: ClientFrame): string | undefined {
  return frame.type === 'message.send' ? frame.clientMsgId : frame.ref
}
