import type {
  ClientFrame, ErrorFrame, MessageAck, MessageNew, Participant, ServerFrame, VisitorContext, Welcome, WelcomeIdentity,
} from '../contract/frames.js'
import { errorCodeForClose, type ErrorCode } from '../contract/errors.js'
import { PROTOCOL_VERSION } from '../contract/version.js'
import { backoffDelay } from './backoff.js'
import { ConnectionError, errorFromFrame, errorInfo } from './connection-error.js'
import { Cursors } from './cursors.js'
import { Liveness } from './liveness.js'
import { createMemoryStorage } from './memory-storage.js'
import { Outbox } from './outbox.js'
import { platform } from './platform.js'
import { randomId } from './random-id.js'
import { Requests } from './requests.js'
import type {
  ClientClock, Connection, ConnectionErrorInfo, ConnectionEvents, ConnectionOptions, ConnectionState, OutboxEntry,
  WebSocketLike,
} from './types.js'

// Entry point of `@parley/sdk/connection`: the one live connection client. It keeps a socket to
// the relay open (reconnecting with backoff), sends hello with where it stands in each
// conversation, replays the outbox until every message is acked, and turns frames into events.

export { createMemoryStorage, ConnectionError }
export { backoffDelay } from './backoff.js'
export { randomId } from './random-id.js'
export { linkStatus, type LinkStatus } from './link-status.js'
export type {
  ClientClock, Connection, ConnectionErrorInfo, ConnectionEvents, ConnectionOptions, ConnectionState, KeyValueStorage,
  NetworkSignal, OutboxEntry, WebSocketFactory, WebSocketLike,
} from './types.js'

const OPEN = 1
/** Resume lists longer than the relay accepts are cut to the most recently active conversations. */
const MAX_RESUME = 500
/** Close codes after which reconnecting cannot help. */
const FATAL: readonly ErrorCode[] = ['PARLEY_ERR_PROTOCOL_VERSION', 'PARLEY_ERR_TENANT_SITE_KEY']

const systemClock: ClientClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => platform.setTimeout(fn, ms),
  clearTimeout: (h) => platform.clearTimeout(h),
}

/** A live connection client; call `start()` to connect. */
export function createConnection(opts: ConnectionOptions): Connection {
  return new LiveConnection(opts)
}

/** Whether a ws:// URL points at this machine (the only place plain ws:// is allowed). */
function isInsecure(url: string): boolean {
  const m = /^ws:\/\/(\[[^\]]+\]|[^/:?#]+)/i.exec(url)
  if (!m) return false
  const host = m[1]!.toLowerCase()
  return !(host === 'localhost' || host === '127.0.0.1' || host === '[::1]' || host.endsWith('.localhost'))
}

function participantOf(id: WelcomeIdentity): Participant {
  return id.kind === 'visitor' ? { kind: 'visitor', id: id.visitorId } : { kind: 'agent', id: id.agentId, name: id.name }
}

class LiveConnection implements Connection {
  readonly #opts: ConnectionOptions
  readonly #prefix: string
  readonly #clock: ClientClock
  readonly #owner: string
  readonly #newId: () => string
  readonly #outbox: Outbox
  readonly #cursors = new Cursors()
  readonly #requests: Requests
  readonly #handlers = new Map<keyof ConnectionEvents, Set<(d: never) => void>>()
  readonly #inFlight = new Set<string>()
  readonly #reads = new Map<string, number>()
  readonly #resuming = new Set<string>()
  #state: ConnectionState = { kind: 'idle' }
  #ws: WebSocketLike | null = null
  #identity: WelcomeIdentity | null = null
  readonly #liveness: Liveness
  #attempt = 0
  #stopped = false
  #retryTimer: unknown
  #unsubscribeNetwork: (() => void) | null = null
  #loaded: Promise<void> | null = null
  #token: string | undefined
  #usedStoredToken = false
  #context: VisitorContext | undefined
  /** createdAt of the newest entry this client wrote: entries get strictly increasing times, so order is exact. */
  #lastCreated = 0
  /** An outbox replay is running; new sends join it instead of overtaking older entries. */
  #replaying = false
  #replayAgain = false
  /** Frames are applied one after another: ack handling reads storage, and events keep frame order. */
  #chain: Promise<void> = Promise.resolve()

  constructor(opts: ConnectionOptions) {
    this.#opts = opts
    this.#prefix = opts.storagePrefix ?? 'parley:'
    this.#clock = opts.clock ?? systemClock
    this.#newId = opts.newId ?? (() => randomId())
    this.#owner = opts.owner ?? randomId()
    this.#outbox = new Outbox(opts.storage, this.#prefix)
    this.#requests = new Requests(this.#clock, opts.requestTimeoutMs ?? 10_000)
    this.#liveness = new Liveness(this.#clock, opts, {
      ping: (ref) => this.#write(ref === undefined ? { type: 'ping' } : { type: 'ping', ref }),
      dead: () => this.#dropSocket(4000, 'idle'),
    })
  }

  get state(): ConnectionState {
    return this.#state
  }

  start(): void {
    if (this.#state.kind !== 'idle' && this.#state.kind !== 'stopped') return
    this.#stopped = false
    if (isInsecure(this.#opts.url)) {
      const info = errorInfo('PARLEY_ERR_CONNECTION_INSECURE', [this.#opts.url])
      this.#setState({ kind: 'stopped', code: info.code })
      this.#emit('error', info)
      return
    }
    this.#unsubscribeNetwork ??= this.#opts.network?.subscribe((online) => this.#onNetwork(online)) ?? null
    void this.#connect()
  }

  async stop(): Promise<void> {
    this.#stopped = true
    this.#unsubscribeNetwork?.()
    this.#unsubscribeNetwork = null
    this.#clearTimers()
    const ws = this.#ws
    this.#ws = null
    if (ws && ws.readyState <= OPEN) ws.close(1000, 'client stopped')
    this.#requests.failAll()
    this.#inFlight.clear()
    this.#setState({ kind: 'stopped', code: null })
    await this.#chain
  }

  newConversationId(): string {
    return this.#newId()
  }

  async send(convId: string, text: string): Promise<OutboxEntry> {
    await this.#load()
    this.#lastCreated = Math.max(this.#clock.now(), this.#lastCreated + 1)
    const entry: OutboxEntry = { convId, clientMsgId: this.#newId(), text, createdAt: this.#lastCreated, owner: this.#owner }
    await this.#outbox.add(entry)
    this.#cursors.track(convId)
    await this.#emitOutbox()
    if (this.#state.kind === 'open') {
      if (this.#replaying) this.#replayAgain = true
      else this.#transmit(entry)
    }
    return entry
  }

  outbox(): Promise<OutboxEntry[]> {
    return this.#outbox.list()
  }

  lastSeq(convId: string): number {
    return this.#cursors.get(convId)
  }

  async setResumePoint(convId: string, seq: number): Promise<void> {
    await this.#load()
    this.#cursors.reset(convId, seq)
    await this.#saveCursor(convId)
  }

  typing(convId: string, typing: boolean): void {
    if (this.#state.kind === 'open') this.#write({ type: typing ? 'typing.start' : 'typing.stop', convId })
  }

  read(convId: string, seq: number): void {
    if (seq <= (this.#reads.get(convId) ?? 0)) return
    const first = this.#reads.size === 0
    this.#reads.set(convId, seq)
    // Coalesced: many read marks in one turn become one frame per conversation.
    if (first) platform.queueMicrotask(() => this.#flushReads())
  }

  updateContext(context: VisitorContext): void {
    this.#context = context
    if (this.#state.kind === 'open' && this.#identity?.kind === 'visitor') this.#write({ type: 'context.update', context })
  }

  request<T extends ServerFrame = ServerFrame>(frame: ClientFrame): Promise<T> {
    if (this.#state.kind !== 'open') {
      return Promise.reject(new ConnectionError(errorInfo('PARLEY_ERR_CONNECTION_LOST', [frame.type])))
    }
    const { ref, answer } = this.#requests.open<T>(frame.type, 'q')
    this.#write({ ...frame, ref } as ClientFrame)
    return answer
  }

  on<K extends keyof ConnectionEvents>(event: K, fn: (data: ConnectionEvents[K]) => void): () => void {
    let set = this.#handlers.get(event)
    if (!set) this.#handlers.set(event, (set = new Set()))
    set.add(fn as (d: never) => void)
    return () => { set!.delete(fn as (d: never) => void) }
  }

  // ── connecting ────────────────────────────────────────────────────────────────────────────

  #load(): Promise<void> {
    this.#loaded ??= (async () => {
      const { storage } = this.#opts
      this.#token = await storage.get<string>(`${this.#prefix}token`)
      for (const e of await this.#outbox.list()) this.#lastCreated = Math.max(this.#lastCreated, e.createdAt)
      const seqKeys = await storage.keys(`${this.#prefix}seq:`)
      for (const key of seqKeys) {
        if (this.#opts.restoreCursors === false) {
          await storage.del(key)
          continue
        }
        const seq = await storage.get<number>(key)
        if (typeof seq === 'number') this.#cursors.restore(key.slice(this.#prefix.length + 4), seq)
      }
    })()
    return this.#loaded
  }

  async #connect(): Promise<void> {
    await this.#load()
    if (this.#stopped || this.#ws) return
    if (this.#opts.network && !this.#opts.network.isOnline()) {
      this.#setState({ kind: 'offline' })
      return
    }
    this.#attempt++
    this.#setState({ kind: 'connecting', attempt: this.#attempt })
    let ws: WebSocketLike
    try {
      ws = new this.#opts.WebSocket(this.#opts.url)
    } catch {
      this.#scheduleRetry(null)
      return
    }
    this.#ws = ws
    ws.onopen = () => {
      if (this.#ws === ws) this.#sendHello()
    }
    ws.onmessage = (ev) => {
      if (this.#ws !== ws) return
      this.#liveness.received()
      let frame: ServerFrame
      try {
        frame = JSON.parse(String(ev.data)) as ServerFrame
      } catch {
        return
      }
      this.#chain = this.#chain.then(() => this.#apply(frame)).catch((err: unknown) => {
        this.#emit('error', errorInfo('PARLEY_ERR_SERVER_INTERNAL', [err instanceof Error ? err.message : String(err)]))
      })
    }
    ws.onclose = (ev) => {
      if (this.#ws === ws) this.#onClose(ev.code)
    }
    ws.onerror = () => { /* a close event follows */ }
  }

  #sendHello(): void {
    const auth = this.#opts.auth
    const isVisitor = auth.kind === 'visitor'
    const token = isVisitor ? auth.token ?? this.#token : undefined
    this.#usedStoredToken = isVisitor && auth.token === undefined && token !== undefined
    const resume = this.#cursors.entries().filter(([, seq]) => seq > 0).slice(-MAX_RESUME).map(([convId, afterSeq]) => ({ convId, afterSeq }))
    const context = isVisitor ? this.#context ?? this.#opts.context?.() : undefined
    if (context) this.#context = context
    this.#write({
      type: 'hello', protocol: PROTOCOL_VERSION,
      auth: isVisitor ? (token ? { kind: 'visitor', token } : { kind: 'visitor' }) : auth,
      ...(context ? { context } : {}),
      ...(resume.length ? { resume } : {}),
    })
    this.#liveness.opened()
  }

  #onClose(code: number): void {
    this.#ws = null
    this.#clearTimers()
    this.#inFlight.clear()
    this.#resuming.clear()
    this.#requests.failAll()
    if (this.#stopped) return
    const reason = errorCodeForClose(code)
    const isVisitor = this.#opts.auth.kind === 'visitor'
    if (reason && reason.startsWith('PARLEY_ERR_AUTH_') && isVisitor && this.#usedStoredToken) {
      // Our stored visitor token is expired or from another relay secret: start as a new visitor.
      this.#token = undefined
      void this.#opts.storage.del(`${this.#prefix}token`)
      this.#scheduleRetry(reason, 0)
      return
    }
    if (reason && (FATAL.includes(reason) || reason.startsWith('PARLEY_ERR_AUTH_'))) {
      this.#setState({ kind: 'stopped', code: reason })
      this.#emit('error', errorInfo(reason))
      return
    }
    this.#scheduleRetry(reason)
  }

  #scheduleRetry(code: ErrorCode | null, delayMs?: number): void {
    if (this.#opts.network && !this.#opts.network.isOnline()) {
      this.#setState({ kind: 'offline' })
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
      else this.#clock.clearTimeout(this.#retryTimer)
      this.#retryTimer = undefined
      if (this.#state.kind !== 'stopped' && this.#state.kind !== 'offline') this.#setState({ kind: 'offline' })
      return
    }
    if (this.#state.kind === 'open') {
      // A new network (Wi-Fi to mobile) may have left this socket dead: ask it.
      this.#liveness.probe()
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

  /** Closes the current socket as dead (no close event will come) and reconnects. */
  #dropSocket(code: number, reason: string): void {
    const ws = this.#ws
    if (!ws) return
    this.#ws = null
    ws.onclose = null
    ws.close(code, reason)
    this.#onClose(1006)
  }

  // ── frames from the relay ─────────────────────────────────────────────────────────────────

  async #apply(frame: ServerFrame): Promise<void> {
    switch (frame.type) {
      case 'welcome': await this.#onWelcome(frame); break
      case 'message.ack': await this.#onAck(frame); break
      case 'message.new': await this.#onMessage(frame); break
      case 'conversation.resumed':
        this.#resuming.delete(frame.convId)
        if (frame.more) this.#resume([{ convId: frame.convId, afterSeq: frame.lastSeq }])
        else if (this.#cursors.hasGap(frame.convId)) this.#resume([{ convId: frame.convId, afterSeq: this.#cursors.get(frame.convId) }])
        break
      case 'error': await this.#onError(frame); return
      default: break
    }
    if ('ref' in frame && typeof frame.ref === 'string') this.#requests.answer(frame.ref, frame)
    this.#emit('frame', frame)
  }

  async #onWelcome(w: Welcome): Promise<void> {
    this.#identity = w.identity
    if (w.identity.kind === 'visitor') {
      this.#token = w.identity.token
      await this.#opts.storage.set(`${this.#prefix}token`, w.identity.token)
    }
    this.#attempt = 0
    this.#setState({ kind: 'open', welcome: w })
    this.#liveness.welcomed(w.heartbeatMs)
    this.#emit('conversations', w.conversations)
    // Conversations we hold no cursor for (another tab or device opened them) or are behind in.
    const behind = this.#opts.resumeListed === false ? [] : w.conversations.filter((c) => c.lastSeq > 0 && this.#cursors.get(c.convId) === 0)
    for (const c of behind) this.#cursors.track(c.convId)
    if (behind.length) this.#resume(behind.map((c) => ({ convId: c.convId, afterSeq: 0 })))
    this.#flushReads()
    void this.#replayOutbox()
  }

  async #onAck(ack: MessageAck): Promise<void> {
    const entry = await this.#outbox.get(ack.clientMsgId)
    this.#inFlight.delete(ack.clientMsgId)
    this.#liveness.acked(this.#inFlight.size > 0)
    const receipt = this.#cursors.receive(ack.convId, ack.seq)
    if (receipt.advanced) await this.#saveCursor(ack.convId)
    if (!entry) return
    await this.#outbox.remove(ack.clientMsgId)
    const me = this.#identity ? participantOf(this.#identity) : { kind: 'visitor' as const, id: 'me' }
    const message: MessageNew = {
      type: 'message.new', convId: ack.convId, seq: ack.seq, clientMsgId: ack.clientMsgId, from: me,
      text: ack.text ?? entry.text, at: ack.at,
    }
    this.#emit('ack', { entry, ack })
    if (receipt.fresh) this.#emit('message', { message, own: true })
    await this.#emitOutbox()
    if (receipt.gap) this.#resume([{ convId: ack.convId, afterSeq: this.#cursors.get(ack.convId) }])
  }

  async #onMessage(m: MessageNew): Promise<void> {
    const receipt = this.#cursors.receive(m.convId, m.seq)
    if (receipt.advanced) await this.#saveCursor(m.convId)
    if (receipt.fresh) this.#emit('message', { message: m, own: false })
    if (receipt.gap) this.#resume([{ convId: m.convId, afterSeq: this.#cursors.get(m.convId) }])
  }

  async #onError(frame: ErrorFrame): Promise<void> {
    const info = errorFromFrame(frame)
    this.#emit('frame', frame)
    if (frame.ref !== undefined && this.#requests.fail(frame.ref, info)) return
    const entry = frame.ref !== undefined ? await this.#outbox.get(frame.ref) : undefined
    if (!entry) {
      this.#emit('error', info)
      return
    }
    this.#inFlight.delete(entry.clientMsgId)
    if (info.retryable) {
      // Rate limited or the store was busy: the same id goes again later, so it is stored once.
      this.#clock.setTimeout(() => { if (this.#state.kind === 'open') this.#transmit(entry) }, frame.retryAfterMs ?? 1000)
      return
    }
    await this.#outbox.remove(entry.clientMsgId)
    this.#emit('refused', { entry, error: info })
    await this.#emitOutbox()
  }

  // ── sending ───────────────────────────────────────────────────────────────────────────────

  async #replayOutbox(): Promise<void> {
    const replay = async () => {
      do {
        this.#replayAgain = false
        for (const entry of await this.#outbox.list()) {
          if (this.#state.kind !== 'open') return
          if (this.#inFlight.has(entry.clientMsgId)) continue
          if (entry.owner !== this.#owner) {
            if (await this.#opts.isOwnerAlive?.(entry.owner)) continue
            // Adopt the orphan so other tabs see a live owner and leave it to us.
            entry.owner = this.#owner
            await this.#outbox.add(entry)
          }
          this.#transmit(entry)
        }
      } while (this.#replayAgain)
    }
    this.#replaying = true
    try {
      await (this.#opts.withLock ? this.#opts.withLock('outbox', replay) : replay())
    } catch (err) {
      this.#emit('error', errorInfo('PARLEY_ERR_SERVER_INTERNAL', [err instanceof Error ? err.message : String(err)]))
    } finally {
      this.#replaying = false
    }
  }

  #transmit(entry: OutboxEntry): void {
    if (this.#inFlight.has(entry.clientMsgId)) return
    if (this.#write({ type: 'message.send', convId: entry.convId, clientMsgId: entry.clientMsgId, text: entry.text })) {
      this.#inFlight.add(entry.clientMsgId)
      this.#liveness.sent()
    }
  }

  #resume(convs: { convId: string; afterSeq: number }[]): void {
    const fresh = convs.filter((c) => !this.#resuming.has(c.convId))
    if (!fresh.length || this.#state.kind !== 'open') return
    for (const c of fresh) this.#resuming.add(c.convId)
    this.#write({ type: 'conversation.resume', convs: fresh })
  }

  #flushReads(): void {
    if (this.#state.kind !== 'open') return
    for (const [convId, seq] of this.#reads) this.#write({ type: 'message.read', convId, seq })
    this.#reads.clear()
  }

  #write(frame: ClientFrame): boolean {
    const ws = this.#ws
    if (!ws || ws.readyState !== OPEN) return false
    ws.send(JSON.stringify(frame))
    return true
  }

  async #saveCursor(convId: string): Promise<void> {
    await this.#opts.storage.set(`${this.#prefix}seq:${convId}`, this.#cursors.get(convId))
  }

  #clearTimers(): void {
    this.#liveness.stop()
    this.#clock.clearTimeout(this.#retryTimer)
    this.#retryTimer = undefined
  }

  // ── events ────────────────────────────────────────────────────────────────────────────────

  #setState(state: ConnectionState): void {
    this.#state = state
    this.#emit('state', state)
  }

  async #emitOutbox(): Promise<void> {
    this.#emit('outbox', { entries: await this.#outbox.list() })
  }

  #emit<K extends keyof ConnectionEvents>(event: K, data: ConnectionEvents[K]): void {
    for (const fn of this.#handlers.get(event) ?? []) {
      try {
        (fn as (d: ConnectionEvents[K]) => void)(data)
      } catch {
        // A handler's failure is the handler's: it must not stop the others or the connection.
      }
    }
  }
}
