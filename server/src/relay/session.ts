import type { WebSocket } from 'ws'
import type { ClientFrame, ErrorCode, Hello, Participant, Role, ServerFrame, VisitorContext, Welcome } from '@parley/sdk/contract'
import { isStoreUnavailable } from '../store/store-errors.js'
import { errorFrame } from '../errors.js'
import type { OpenSession, RelayContext } from './context.js'
import { ConversationDelivery } from './conversation-delivery.js'
import { handleFrame } from './dispatch.js'
import { FrameIntake, PendingTake, Refusal } from './frame-intake.js'
import { FrameOrder, type FrameRunner } from './frame-order.js'
import { handleHello, welcomeConnection, type Identified } from './hello.js'
import type { HelloPort, SessionChange, VisitorSession, WelcomePort } from './session-port.js'
import { SocketWriter } from './socket-writer.js'
import type { FrameSocket } from './socket-writer.js'
import { refOf } from './with-ref.js'
import type { Principal } from '../auth/policy.js'

/** Frames one connection may have waiting for a shared limit's answer; past it they are refused as busy. */
export const ADMITTING_LIMIT = 64

/** The retry advice of a frame refused as busy (ms). */
const BUSY_RETRY_MS = 1000

/** Each open socket's session, for the socket listeners all sessions share. */
const sessionOfSocket = new WeakMap<WebSocket, LiveSession>()

/** The session made for `ws` (for listeners shared by all sockets, which get the socket as `this`). */
export function sessionOf(ws: WebSocket): LiveSession | undefined {
  return sessionOfSocket.get(ws)
}

function ignoreError(): void {
  // 'close' follows; the cause is in ws's close code
}

// One WebSocket connection from hello to close. It wires the socket to its parts: the intake
// (parsing, rate limits), the frame order, the delivery state per conversation, and the writer
// (send queue, close). What each frame does lives in the handlers, which see it through the ports
// of session-port.ts.

/** A live connection. */
export class LiveSession implements HelloPort, WelcomePort, OpenSession {
  readonly connId: string
  readonly ctx: RelayContext
  readonly ws: WebSocket
  readonly siteBrandId: string | null
  readonly ip: string
  readonly privacySignal: boolean
  brandId = ''
  identity = ''
  /** Set once hello is answered; handlers of other frames run only after it. */
  who!: Participant
  /** Whom the policy sees; set with `who` (an agent's role may change later: setRole). */
  principal!: Principal
  /** The session its token belongs to, set with `who` (null: a visitor token without one). */
  sessionId: string | null = null
  #visitorContext: VisitorContext | null = null
  /** A visitor's session (its token's sid), set by hello. */
  visitorSession: VisitorSession | null = null
  readonly delivery: ConversationDelivery
  // The two sets below are made on first use: most connections (an idle visitor's, an agent's)
  // never need them, and an empty Set still costs its hash table on every connection.
  /** Conversations a visitor's message was stored in on this connection: they exist, so later messages need not carry the context that opens one. */
  #storedIn: Set<string> | null = null
  /** Conversations a message that may open them is in flight to (opening-limit.ts counts one). */
  #openingIn: Set<string> | null = null
  #authenticated = false
  /** Whether a valid hello frame arrived (it may still be refused, e.g. listing too many conversations to resume). */
  #helloSeen = false
  #alive = true
  #quiet = false
  #strikes = 0
  readonly #writer: SocketWriter
  readonly #intake: FrameIntake
  readonly #order: FrameOrder<SessionChange, LiveSession>
  /** Until hello arrives (then dropped, so an open connection keeps no spent timer). */
  #helloTimer: NodeJS.Timeout | null
  /** Frames waiting for a shared rate limit's answer, in arrival order (null: none). */
  #admitting: Promise<void> | null = null
  /** How many frames #admitting holds. */
  #waiting = 0
  /** Set once an agent connection was counted in presence (settles when the count is done). */
  #presence: Promise<void> | null = null

  constructor(ws: WebSocket, socket: FrameSocket, ctx: RelayContext, siteBrandId: string | null, ip: string, privacySignal: boolean) {
    this.ws = ws
    this.ctx = ctx
    this.siteBrandId = siteBrandId
    this.ip = ip
    this.privacySignal = privacySignal
    this.connId = ctx.deps.ids.next('c_')
    // No closure per connection below: each one, and the context they share, stays for as long as
    // the connection (about 300 bytes of an idle visitor's). The parts get the session itself, the
    // socket's listeners are shared and find their session from the socket they are called on.
    this.#writer = new SocketWriter(ws, socket, ctx, this)
    this.delivery = new ConversationDelivery(this)
    this.#intake = new FrameIntake(ctx, ctx.deps.clock.now())
    this.#order = new FrameOrder(LiveSession.#runner, this)
    this.#helloTimer = setTimeout(LiveSession.#helloTimedOut, ctx.limits.helloTimeoutMs, this)
    this.#helloTimer.unref()
    sessionOfSocket.set(ws, this)
    ws.on('message', LiveSession.#onMessage)
    ws.on('pong', LiveSession.#onPong)
    ws.on('close', LiveSession.#onClose)
    ws.on('error', ignoreError)
  }

  static #helloTimedOut(s: LiveSession): void {
    s.fail('PARLEY_ERR_PROTOCOL_HELLO_TIMEOUT', [s.ctx.limits.helloTimeoutMs])
  }

  // ws calls its listeners with the socket as `this` (EventEmitter's contract).
  static #onMessage(this: WebSocket, data: WebSocket.RawData, isBinary: boolean): void {
    const s = sessionOfSocket.get(this)
    if (s) s.#receive(data as Buffer, isBinary)
  }

  static #onPong(this: WebSocket): void {
    const s = sessionOfSocket.get(this)
    if (s) s.#alive = true
  }

  static #onClose(this: WebSocket): void {
    const s = sessionOfSocket.get(this)
    if (s) s.#closed()
  }

  checkAlive(): boolean {
    const alive = this.#alive
    this.#alive = false
    return alive
  }

  helloReceived(): void {
    this.#clearHelloTimer()
  }

  #clearHelloTimer(): void {
    if (this.#helloTimer === null) return
    clearTimeout(this.#helloTimer)
    this.#helloTimer = null
  }

  get isAuthenticated(): boolean {
    return this.#authenticated
  }

  get isClosed(): boolean {
    return this.#writer.isClosing
  }

  get isOpen(): boolean {
    return this.#writer.isOpen
  }

  get isBackedUp(): boolean {
    return this.#writer.isBackedUp
  }

  get visitorContext(): VisitorContext | null {
    return this.#visitorContext
  }

  whenWritable(): Promise<void> {
    return this.#writer.whenWritable()
  }

  hasStoredIn(convId: string): boolean {
    return this.#storedIn?.has(convId) ?? false
  }

  storedIn(convId: string): void {
    (this.#storedIn ??= new Set()).add(convId)
  }

  openingIn(convId: string, inFlight: boolean): void {
    if (inFlight) (this.#openingIn ??= new Set()).add(convId)
    else this.#openingIn?.delete(convId)
  }

  isOpeningIn(convId: string): boolean {
    return this.#openingIn?.has(convId) ?? false
  }

  appendStarted(): void {
    this.#order.appendStarted()
  }

  appendSettled(): void {
    this.#order.appendSettled()
  }

  welcome(frame: Welcome): void {
    this.send(frame)
    this.delivery.open()
  }

  send(frame: ServerFrame): void {
    this.#writer.write(JSON.stringify(frame))
  }

  sendJson(json: string): void {
    this.#writer.write(json)
  }

  /** Fan-out entry point (FanoutTarget). */
  deliver(frame: ServerFrame, json: string): void {
    this.delivery.deliver(frame, json)
  }

  reject(code: ErrorCode, args: readonly unknown[], ref?: string, retryAfterMs?: number, field?: string): void {
    this.send(errorFrame(code, args, ref, retryAfterMs, field))
    if (++this.#strikes >= this.ctx.limits.floodCloseAfter) this.fail('PARLEY_ERR_LIMIT_FLOOD', [])
  }

  fail(code: ErrorCode, args: readonly unknown[], ref?: string): void {
    if (this.#writer.isClosing) return
    this.send(errorFrame(code, args, ref))
    this.#writer.close(code)
  }

  end(reason: string): void {
    if (this.#writer.isClosing) return
    this.#writer.end(reason)
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
    if (this.#writer.isClosing || this.#quiet) return
    const taken = this.#intake.take(data, isBinary, this.who, this.brandId, this.ctx.deps.clock.now())
    // A limit shared between nodes answers later: this frame, and every one after it until the
    // answers caught up, is admitted in the order it arrived. Redis answers within its command
    // timeout or this node's buckets do, but frames keep coming meanwhile: past ADMITTING_LIMIT
    // waiting, the frame is refused as busy (the client's outbox sends it again) rather than queued.
    if (taken instanceof PendingTake || this.#admitting) {
      if (this.#waiting >= ADMITTING_LIMIT) return this.#refuseBusy(taken)
      this.#waiting++
      const next = (this.#admitting ?? Promise.resolve()).then(() => (taken instanceof PendingTake ? taken.answer : taken)).then((t) => {
        this.#waiting--
        if (!this.#writer.isClosing && !this.#quiet) this.#admit(t)
      }, (err: unknown) => {
        this.#waiting--
        // Shared buckets fall back to this node's when Redis fails, so this is a bug: say so and drop the frame.
        this.ctx.log.error({ err, connId: this.connId, brandId: this.brandId }, 'frame admission failed')
      })
      this.#admitting = next
      void next.then(() => { if (this.#admitting === next) this.#admitting = null })
      return
    }
    this.#admit(taken)
  }

  /** Answers a frame that arrived with too many waiting before it. */
  #refuseBusy(taken: ClientFrame | Refusal | PendingTake): void {
    if (taken instanceof PendingTake) taken.answer.catch(() => {}) // its answer no longer matters
    const ref = taken instanceof PendingTake || taken instanceof Refusal ? taken.ref : refOf(taken)
    this.reject('PARLEY_ERR_LIMIT_BUSY', ['frames', BUSY_RETRY_MS], ref, BUSY_RETRY_MS)
  }

  /** Lets a parsed and rate-limited frame in (or answers its refusal). */
  #admit(taken: ClientFrame | Refusal): void {
    if (!this.#helloSeen) {
      // The first frame must be a valid hello: anything else (junk included) ends the connection
      // at once rather than keeping it open until the hello timeout.
      if (taken instanceof Refusal || taken.type !== 'hello') return this.fail('PARLEY_ERR_PROTOCOL_HELLO_REQUIRED', [], taken instanceof Refusal ? taken.ref : refOf(taken))
      this.#helloSeen = true
    }
    if (taken instanceof Refusal) return this.reject(taken.code, taken.args, taken.ref, taken.retryAfterMs)
    this.#order.push(taken)
  }

  /**
   * How every session's frame order runs its frames: one object for all of them, since an object
   * of closures and getters per connection cost each about 700 bytes of heap. Here, so it reaches
   * the private state it sets while nothing outside the frame order can run a frame.
   */
  static readonly #runner: FrameRunner<SessionChange, LiveSession> = {
    run: (s, frame) => (frame.type === 'hello' ? s.#hello(frame) : handleFrame(s, s.#authenticated, frame)),
    accepted(s, change) {
      s.#strikes = 0
      if (change !== true) s.#visitorContext = s.ctx.sharedStrings.share(change.visitorContext)
    },
    failed: (s, err, frame) => s.#internal(err, frame),
    isClosing: (s) => s.#writer.isClosing,
    isAuthenticated: (s) => s.#authenticated,
  }

  /** hello: handleHello says who this is, the session records it, then welcomeConnection welcomes. */
  async #hello(frame: Hello): Promise<boolean> {
    const identified = await handleHello(this, frame)
    if (!identified) return false
    this.#authenticate(identified)
    const welcomed = await welcomeConnection(this, frame, identified.identity)
    // Counted once welcomed, so the agent's own connection gets the agent.status saying they are on.
    if (welcomed && this.who.kind === 'agent' && !this.#writer.isClosing) this.#presence = this.#announce('connected')
    return welcomed
  }

  /** Counts this agent connection in or out of presence; colleagues hear when it flips the agent. */
  #announce(how: 'connected' | 'disconnected'): Promise<void> {
    const { brandId } = this
    const agentId = this.who.id
    return this.ctx.board[how](brandId, agentId).catch((err: unknown) => {
      this.ctx.log.error({ err, brandId, agentId, connId: this.connId }, 'agent presence update failed')
    })
  }

  /** Takes an agent's role as the store now says it is (session-recheck.ts); the next frame is decided with it. */
  setRole(role: Role): void {
    if (this.principal?.kind === 'agent') this.principal = { ...this.principal, role }
  }

  #authenticate({ brandId, who, visitorContext, principal, sessionId, visitorSession }: Identified): void {
    this.brandId = brandId
    this.visitorSession = visitorSession
    this.who = who
    this.principal = principal
    this.sessionId = sessionId
    this.identity = `${who.kind}:${who.id}`
    this.#visitorContext = this.ctx.sharedStrings.share(visitorContext)
    this.#authenticated = true
  }

  #internal(err: unknown, frame: ClientFrame): void {
    if (isStoreUnavailable(err)) return this.#storeUnavailable(err, frame)
    const ref = this.ctx.deps.ids.next('e_')
    this.ctx.log.error({ err, ref, connId: this.connId, brandId: this.brandId, frameType: frame.type }, 'frame handler failed')
    this.send(errorFrame('PARLEY_ERR_SERVER_INTERNAL', [ref], refOf(frame)))
  }

  /**
   * The store could not be reached: the frame changed nothing and may be sent again (retryable, and
   * no strike: it is not the client's fault). A hello that failed half-way leaves the connection
   * neither welcomed nor refused, so it is closed: the client reconnects with backoff and resumes.
   */
  #storeUnavailable(err: unknown, frame: ClientFrame): void {
    this.ctx.log.error({ err, connId: this.connId, brandId: this.brandId, frameType: frame.type }, 'store unavailable; frame not applied')
    if (frame.type === 'hello') return this.fail('PARLEY_ERR_SERVER_STORE', [], refOf(frame))
    this.send(errorFrame('PARLEY_ERR_SERVER_STORE', [], refOf(frame)))
  }

  #closed(): void {
    this.#clearHelloTimer()
    this.#writer.closed()
    this.#order.clear()
    this.ctx.fanout.remove(this)
    // After the count in, whenever that finishes: a connection never leaves before it arrived.
    if (this.#presence) void this.#presence.then(() => this.#announce('disconnected'))
  }
}
