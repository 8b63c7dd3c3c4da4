import type {
  ClientFrame, ConversationListed, ConversationSummary, MessageNew, Participant, ServerFrame, VisitorContext, VisitorForget, VisitorForgotten,
  VisitorIdentified, VisitorIdentify, Welcome, WelcomeIdentity,
} from '../contract/frames.js'
import type { VerifiedCustomer } from '../contract/security.js'
import type { ErrorCode } from '../contract/errors.js'
import type { SurveySubmission } from '../contract/surveys.js'
import { PROTOCOL_VERSION } from '../contract/version.js'
import { applyFrame, emitOutbox, type FrameTarget } from './apply-frame.js'
import { downloadFile, httpOrigin, type TransferTarget } from './attachment-transfer.js'
import { backoffDelay } from './backoff.js'
import { ClientStore } from './client-store.js'
import { ConnectionError, errorInfo } from './connection-error.js'
import type { LocalCode } from './local-codes.js'
import { ConversationPager, type PagerPort } from './conversation-pager.js'
import { Cursors } from './cursors.js'
import { Emitter } from './events.js'
import { IdentityRequests } from './identity-requests.js'
import { createMemoryStorage } from './memory-storage.js'
import { OutboxSender } from './outbox-sender.js'
import { uploadEntryFiles } from './outbox-uploads.js'
import { platform } from './platform.js'
import { randomId } from './random-id.js'
import { Requests, sendRequest, type RequestPort } from './requests.js'
import { Resumer } from './resume.js'
import { SocketLifecycle } from './socket-lifecycle.js'
import type { BlobLike, ClientClock, Connection, ConnectionEvents, ConnectionOptions, ConnectionState, OutboxEntry, OutgoingFile } from './types.js'

// Entry point of `@parley/sdk/connection`: the one live connection client. It keeps a socket to
// the relay open (socket-lifecycle.ts), sends hello with where it stands in each conversation,
// replays the outbox until every message is acked (outbox-sender.ts), and turns frames into events
// (apply-frame.ts). This file holds the public methods and what a hello and a welcome mean.

export { createMemoryStorage, ConnectionError }
export { backoffDelay } from './backoff.js'
export { randomId } from './random-id.js'
export { linkStatus, type LinkStatus } from './link-status.js'
export type {
  BlobLike, ClientClock, Connection, ConnectionErrorInfo, ConnectionEvents, ConnectionOptions, ConnectionState, FetchLike, KeyValueStorage,
  NetworkSignal, OutboxEntry, OutboxFile, OutgoingFile, WebSocketFactory, WebSocketLike,
} from './types.js'

/** Resume lists longer than the relay accepts are cut to the most recently active conversations. */
const MAX_RESUME = 500
/** How long a forget waits for a pending identify or a connecting socket before clearing without telling the relay. */
const FORGET_WAIT_MS = 5000
/** Close codes after which reconnecting cannot help. */
const FATAL: readonly ErrorCode[] = ['PARLEY_ERR_PROTOCOL_VERSION', 'PARLEY_ERR_TENANT_SITE_KEY']

const systemClock: ClientClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => platform.setTimeout(fn, ms),
  clearTimeout: (h) => platform.clearTimeout(h),
}

/** A live connection client; call `start()` to connect. */
export function createConnection(opts: ConnectionOptions): Connection {
  return new LiveConnection(opts, (port) => {
    const requests = new Requests(port.clock, opts.requestTimeoutMs ?? 10_000)
    const request = <T extends ServerFrame>(frame: ClientFrame) => sendRequest<T>(requests, port, frame)
    return { requests, request, pager: new ConversationPager({ ...port, list: (cursor) => request<ConversationListed>({ type: 'conversation.list', cursor }) }) }
  })
}

/**
 * A visitor's live connection client, as createConnection makes one but without requests
 * (`request()` rejects: a visitor's frames need no answer) and the agent's paging through listed
 * conversations built on them, so a browser bundle that imports only this leaves both out.
 */
export function createVisitorConnection(opts: Omit<ConnectionOptions, 'auth'>): Connection {
  return new LiveConnection({ ...opts, auth: { kind: 'visitor' } }, null)
}

/** Requests with answers, and the agent's paging built on them: what createVisitorConnection leaves out. */
interface RequestParts {
  requests: Requests
  request<T extends ServerFrame>(frame: ClientFrame): Promise<T>
  pager: Pick<ConversationPager, 'start' | 'reset'>
}

/** Why a stopped connection cannot carry an identity frame: its fatal close, or that it was stopped. */
function stoppedError(code: ErrorCode | null): ConnectionError {
  // A stopped state's code is always one the connection raised itself (a close, an insecure URL).
  return new ConnectionError(errorInfo((code ?? 'PARLEY_ERR_CONNECTION_LOST') as LocalCode, ['hello']))
}

function participantOf(id: WelcomeIdentity): Participant {
  return id.kind === 'visitor' ? { kind: 'visitor', id: id.visitorId } : { kind: 'agent', id: id.agentId, name: id.name }
}

class LiveConnection implements Connection {
  readonly #store: ClientStore
  readonly #cursors = new Cursors()
  readonly #events = new Emitter()
  readonly #parts: RequestParts | null
  readonly #sender: OutboxSender
  readonly #resumer: Resumer
  /** What applying a frame may change: the parts above, who we are, and what a welcome does. */
  readonly #target: FrameTarget
  readonly #opts: ConnectionOptions
  readonly #clock: ClientClock
  readonly #owner: string
  readonly #newId: () => string
  readonly #socket: SocketLifecycle
  readonly #reads = new Map<string, number>()
  #identity: WelcomeIdentity | null = null
  #loaded: Promise<void> | null = null
  #token: string | undefined
  /** The stored visitor token had expired when the client loaded (client-store.ts). */
  #expired = false
  #usedStoredToken = false
  #context: VisitorContext | undefined
  /** The context the last hello carried: one updated before its welcome is sent after it. */
  #helloContext: VisitorContext | undefined
  /** createdAt of the newest entry this client wrote: entries get strictly increasing times, so order is exact. */
  #lastCreated = 0
  /** Frames are applied one after another: ack handling reads storage, and events keep frame order. */
  #chain: Promise<void> = Promise.resolve()
  /** Upload attempts that failed for now in a row, for the retry's backoff. */
  #uploadFailures = 0
  /** visitor.identify / visitor.forget waiting for the relay's answer. */
  readonly #identityRequests: IdentityRequests
  /** The relay answered an identity frame and closes the socket normally: say hello again at once. */
  #helloAgain = false
  /** identify calls not yet settled: a forget waits for them, so the relay hears it on the visit they end in. */
  readonly #identifying = new Set<Promise<unknown>>()

  constructor(opts: ConnectionOptions, parts: ((port: RequestPort & Omit<PagerPort, 'list'>) => RequestParts) | null) {
    this.#opts = opts
    this.#clock = opts.clock ?? systemClock
    this.#newId = opts.newId ?? (() => randomId())
    this.#owner = opts.owner ?? randomId()
    this.#store = new ClientStore(opts.storage, opts.storagePrefix ?? 'parley:', opts.restoreCursors !== false)
    this.#identityRequests = new IdentityRequests()
    const write = (frame: ClientFrame) => this.#socket.write(frame)
    const isOpen = () => this.state.kind === 'open'
    this.#resumer = new Resumer(write, isOpen)
    this.#parts = parts?.({
      clock: this.#clock, isOpen, write,
      listed: (conversations) => this.#listed(conversations),
      failed: (info) => this.#events.emit('error', info),
    }) ?? null
    this.#sender = new OutboxSender(this.#store.outbox, this.#owner, opts, {
      write, isOpen,
      sent: () => this.#socket.liveness.sent(),
      settled: (stillWaiting) => this.#socket.liveness.acked(stillWaiting),
      failed: (err) => this.#internalError(err),
      setTimeout: (fn, ms) => this.#clock.setTimeout(fn, ms),
      prepare: (entry) => this.#prepare(entry),
    })
    this.#target = {
      store: this.#store, holdAcked: opts.holdAcked === true, cursors: this.#cursors, events: this.#events, requests: this.#parts?.requests ?? null,
      sender: this.#sender, resumer: this.#resumer,
      me: () => (this.#identity ? participantOf(this.#identity) : { kind: 'visitor', id: 'me' }),
      welcome: (w) => this.#welcome(w),
    }
    this.#socket = new SocketLifecycle(opts, this.#clock, {
      prepare: () => this.#load(),
      opened: () => {
        // A new socket: the one the relay was to close after an identity answer is gone (also when stop() closed it first).
        this.#helloAgain = false
        return this.#sendHello()
      },
      frame: (frame) => {
        // Taken at once: the relay closes right after its answer, and the close must find the new
        // token in place (hello again with it) and nothing left to fail as lost.
        if (this.#identityRequests.settle(frame)) {
          if (frame.type === 'visitor.identified') {
            this.#token = frame.identity.token
            // The customer this visitor already was: the relay recorded the token and keeps the socket.
            const was = this.#identity?.kind === 'visitor' ? this.#identity : null
            this.#helloAgain = frame.identity.visitorId !== was?.visitorId || frame.identity.customer.customerId !== was.customer?.customerId
          }
          return
        }
        this.#chain = this.#chain.then(() => applyFrame(this.#target, frame)).catch((err: unknown) => this.#internalError(err))
      },
      lost: () => {
        this.#sender.reset()
        this.#resumer.reset()
        this.#parts?.pager.reset()
        this.#parts?.requests.failAll()
        this.#identityRequests.failAll()
      },
      closedBy: (reason) => this.#afterClose(reason),
      state: (state) => this.#events.emit('state', state),
      error: (info) => this.#events.emit('error', info),
    })
  }

  get state(): ConnectionState {
    return this.#socket.state
  }

  start(): void {
    this.#socket.start()
  }

  async stop(): Promise<void> {
    this.#socket.stop()
    await this.#chain
  }

  newConversationId(): string {
    return this.#newId()
  }

  send(convId: string, text: string, files?: readonly OutgoingFile[]): Promise<OutboxEntry> {
    if (!files?.length) return this.#enqueue(convId, { text })
    return this.#enqueue(convId, {
      text,
      files: files.map((f) => ({
        key: this.#newId(), name: f.name, type: f.type, size: f.data.size, data: f.data, ...(f.thumbnail ? { thumbnail: f.thumbnail } : {}),
      })),
    })
  }

  openConversation(convId: string, survey?: SurveySubmission): Promise<OutboxEntry> {
    return this.#enqueue(convId, { text: '', kind: 'open', ...(survey ? { survey } : {}) })
  }

  answerSurvey(convId: string, survey: SurveySubmission): Promise<OutboxEntry> {
    return this.#enqueue(convId, { text: '', kind: 'answer', survey })
  }

  /** Writes an entry to the outbox, then offers it to the socket. */
  async #enqueue(convId: string, what: Pick<OutboxEntry, 'text' | 'kind' | 'survey' | 'files'>): Promise<OutboxEntry> {
    await this.#load()
    this.#lastCreated = Math.max(this.#clock.now(), this.#lastCreated + 1)
    const entry: OutboxEntry = { convId, clientMsgId: this.#newId(), ...what, createdAt: this.#lastCreated, owner: this.#owner }
    await this.#store.outbox.add(entry)
    this.#cursors.track(convId)
    await emitOutbox(this.#target)
    this.#sender.offer(entry)
    return entry
  }

  outbox(): Promise<OutboxEntry[]> {
    return this.#store.outbox.list()
  }

  async visitExpired(): Promise<boolean> {
    await this.#load()
    return this.#expired
  }

  async held(): Promise<MessageNew[]> {
    return this.#opts.holdAcked ? this.#store.held() : []
  }

  async release(clientMsgIds: readonly string[]): Promise<void> {
    for (const id of clientMsgIds) await this.#store.release(id)
  }

  lastSeq(convId: string): number {
    return this.#cursors.get(convId)
  }

  async setResumePoint(convId: string, seq: number): Promise<void> {
    await this.#load()
    this.#cursors.reset(convId, seq)
    await this.#store.saveCursor(convId, seq)
  }

  async download(attachmentId: string, part: 'file' | 'thumbnail' = 'file'): Promise<BlobLike> {
    await this.#load()
    const target = this.#transferTarget()
    if (!target) throw new ConnectionError(errorInfo('PARLEY_ERR_AUTH_REQUIRED'))
    return downloadFile(target, attachmentId, part)
  }

  typing(convId: string, typing: boolean): void {
    if (this.state.kind === 'open') this.#socket.write({ type: typing ? 'typing.start' : 'typing.stop', convId })
  }

  closeConversation(convId: string): boolean {
    if (this.state.kind !== 'open') return false
    this.#socket.write({ type: 'conversation.close', convId })
    return true
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
    if (this.state.kind === 'open' && this.#identity?.kind === 'visitor') this.#socket.write({ type: 'context.update', context })
  }

  request<T extends ServerFrame = ServerFrame>(frame: ClientFrame): Promise<T> {
    if (this.#parts) return this.#parts.request<T>(frame)
    return Promise.reject(new ConnectionError(errorInfo('PARLEY_ERR_CONNECTION_LOST', [frame.type])))
  }

  on<K extends keyof ConnectionEvents>(event: K, fn: (data: ConnectionEvents[K]) => void): () => void {
    return this.#events.on(event, fn)
  }

  identify(token: string): Promise<VerifiedCustomer> {
    const run = this.#identify(token)
    this.#identifying.add(run)
    const done = () => void this.#identifying.delete(run)
    run.then(done, done)
    return run
  }

  async #identify(token: string): Promise<VerifiedCustomer> {
    await this.#opened()
    // Always sent, also for the customer already verified: the relay records every token the visit
    // used, so that a logout refuses each of them.
    const answer = await this.#ask<VisitorIdentified>({ type: 'visitor.identify', token })
    // Saved in frame order, so a welcome's newer token after the reconnect is never overwritten.
    this.#chain = this.#chain.then(() => this.#store.saveToken(answer.identity.token))
    await this.#chain
    return answer.identity.customer
  }

  async forget(opts: { reconnect?: boolean } = {}): Promise<void> {
    await this.#load()
    const running = this.state.kind !== 'idle' && this.state.kind !== 'stopped'
    // A logout the relay never hears leaves the visit and its identity tokens usable: an identify in
    // flight settles first (its answer closes the socket and the new token says hello), and a socket
    // still connecting opens first; a few seconds at most, the page's logout does not hang on them.
    if (running) await this.#settled()
    if (this.state.kind === 'open') {
      // Lost or refused, the browser forgets anyway: the relay's copy of the visit is not the
      // page's to wait for, and a stored token left behind would be the logged-out customer's.
      await this.#ask({ type: 'visitor.forget' }).catch(() => {})
    }
    this.#socket.stop()
    this.#helloAgain = false
    await this.#chain
    await this.#store.clear()
    this.#cursors.clear()
    this.#reads.clear()
    this.#token = undefined
    this.#identity = null
    this.#usedStoredToken = false
    // The logged-out customer's context (their page's values): the next hello asks the page afresh.
    this.#context = undefined
    this.#helloContext = undefined
    await emitOutbox(this.#target)
    if (running && opts.reconnect !== false) this.#socket.start()
  }

  /** Resolves once no identify is pending and the socket is open for good (or stopped, or offline), FORGET_WAIT_MS at most. */
  async #settled(): Promise<void> {
    let timer: unknown
    const capped = new Promise<void>((resolve) => { timer = this.#clock.setTimeout(resolve, FORGET_WAIT_MS) })
    const ready = (async () => {
      for (const run of [...this.#identifying]) await run.catch(() => {})
      // helloAgain: the open socket is the one the relay closes after its identify answer.
      while (this.#helloAgain || this.state.kind !== 'open') {
        const kind = this.state.kind
        if (kind === 'stopped' || kind === 'idle' || kind === 'offline') return
        await new Promise<void>((next) => { const off = this.#events.on('state', () => { off(); next() }) })
      }
    })()
    await Promise.race([ready, capped])
    this.#clock.clearTimeout(timer)
  }

  /** Sends an identity frame with a fresh ref and resolves with its answer. */
  #ask<T extends VisitorIdentified | VisitorForgotten>(frame: Omit<VisitorIdentify, 'ref'> | Omit<VisitorForget, 'ref'>): Promise<T> {
    const { ref, answer } = this.#identityRequests.open<T>(frame.type)
    if (!this.#socket.write({ ...frame, ref })) this.#identityRequests.failAll()
    return answer
  }

  /**
   * The welcome of an open connection: now, or once it opens (starting a client that is idle or was
   * stopped, as after forget); rejects when it stops, at once when a fatal close stopped it. Not the
   * socket the relay closes after an identify's answer (helloAgain): a frame sent there is lost.
   */
  #opened(): Promise<Welcome> {
    const now = this.state
    if (now.kind === 'open' && !this.#helloAgain) return Promise.resolve(now.welcome)
    if (now.kind === 'stopped' && now.code !== null) return Promise.reject(stoppedError(now.code))
    return new Promise((resolve, reject) => {
      const off = this.#events.on('state', (s) => {
        if (s.kind === 'open' && !this.#helloAgain) resolve(s.welcome)
        else if (s.kind === 'stopped') reject(stoppedError(s.code))
        else return
        off()
      })
      if (now.kind === 'idle' || now.kind === 'stopped') this.start()
    })
  }

  // ── files ─────────────────────────────────────────────────────────────────────────────────────

  /** Where REST calls go, with the token they carry; null before a visitor has one. */
  #transferTarget(): TransferTarget | null {
    const auth = this.#opts.auth
    const token = auth.kind === 'agent' ? auth.token : auth.token ?? this.#token
    if (!token) return null
    const fetch = this.#opts.fetch ?? ((url, init) => platform.fetch(url, init))
    return { fetch, base: this.#opts.httpUrl ?? httpOrigin(this.#opts.url), token }
  }

  /** Uploads an entry's files; refuses the entry when the relay refused a file, else says when to retry. */
  async #prepare(entry: OutboxEntry): Promise<'ready' | 'refused' | number> {
    const target = this.#transferTarget()
    const prepared = target
      ? await uploadEntryFiles(entry, target, (e) => this.#store.outbox.add(e))
      : { kind: 'later' as const, error: errorInfo('PARLEY_ERR_AUTH_REQUIRED') }
    if (prepared.kind === 'ready') {
      this.#uploadFailures = 0
      return 'ready'
    }
    if (prepared.kind === 'refused') {
      await this.#store.outbox.remove(entry.clientMsgId)
      this.#events.emit('refused', { entry, error: prepared.error })
      await emitOutbox(this.#target)
      return 'refused'
    }
    // The upload failed for now (network, relay busy): the sender tries again after this long
    // while the socket stays open; a new socket replays the outbox anyway.
    return Math.max(250, backoffDelay(++this.#uploadFailures, (this.#opts.random ?? Math.random)(), this.#opts.backoff))
  }

  // ── connecting ────────────────────────────────────────────────────────────────────────────

  /** The relay accepted our hello: we are open; fetch what we miss and send what waits. */
  async #welcome(w: Welcome): Promise<void> {
    this.#identity = w.identity
    if (w.identity.kind === 'visitor') {
      this.#token = w.identity.token
      await this.#store.saveToken(w.identity.token)
    }
    this.#socket.welcomed(w)
    if (w.identity.kind === 'visitor' && this.#context && this.#context !== this.#helloContext) this.#socket.write({ type: 'context.update', context: this.#context })
    this.#listed(w.conversations)
    this.#parts?.pager.start(w.identity.kind === 'agent' ? w.conversationsNext : undefined)
    this.#flushReads()
    void this.#sender.replay()
  }

  /** The relay listed conversations (welcome, or a further page): tell the handlers, fetch what we lack. */
  #listed(conversations: ConversationSummary[]): void {
    this.#events.emit('conversations', conversations)
    // Conversations we hold no cursor for (another tab or device opened them) or are behind in.
    const behind = this.#opts.resumeListed === false ? [] : conversations.filter((c) => c.lastSeq > 0 && this.#cursors.get(c.convId) === 0)
    for (const c of behind) this.#cursors.track(c.convId)
    if (behind.length) this.#resumer.request(behind.map((c) => ({ convId: c.convId, afterSeq: 0 })))
  }

  #load(): Promise<void> {
    this.#loaded ??= (async () => {
      const stored = await this.#store.load(this.#cursors, this.#clock.now())
      this.#token = stored.token
      this.#expired = stored.expired
      this.#lastCreated = Math.max(this.#lastCreated, stored.lastCreated)
    })()
    return this.#loaded
  }

  #sendHello(): void {
    const auth = this.#opts.auth
    const isVisitor = auth.kind === 'visitor'
    const token = isVisitor ? auth.token ?? this.#token : undefined
    this.#usedStoredToken = isVisitor && auth.token === undefined && token !== undefined
    const resume = this.#cursors.entries().filter(([, seq]) => seq > 0).slice(-MAX_RESUME).map(([convId, afterSeq]) => ({ convId, afterSeq }))
    const context = isVisitor ? this.#context ?? this.#opts.context?.() : undefined
    if (context) this.#context = context
    this.#helloContext = context
    this.#socket.write({
      type: 'hello', protocol: PROTOCOL_VERSION,
      auth: isVisitor ? (token ? { kind: 'visitor', token } : { kind: 'visitor' }) : auth,
      ...(context ? { context } : {}),
      ...(resume.length ? { resume } : {}),
    })
  }

  #afterClose(reason: ErrorCode | null): 'retry' | 'retry-now' | 'stop' {
    const isVisitor = this.#opts.auth.kind === 'visitor'
    if (this.#helloAgain) {
      // Closed after an identity answer: the new identity says hello now, not after a backoff.
      this.#helloAgain = false
      if (reason === null) return 'retry-now'
    }
    if (reason && reason.startsWith('PARLEY_ERR_AUTH_') && isVisitor && this.#usedStoredToken) {
      // Our stored visitor token is expired, from another relay secret, or its visit ended (an
      // erasure, a logout in another tab): start as a new visitor; only the unsent outbox stays.
      this.#token = undefined
      this.#cursors.clear()
      void this.#store.clear(false)
      this.#events.emit('forgotten', undefined)
      return 'retry-now'
    }
    if (reason && (FATAL.includes(reason) || reason.startsWith('PARLEY_ERR_AUTH_'))) return 'stop'
    return 'retry'
  }

  #flushReads(): void {
    if (this.state.kind !== 'open') return
    for (const [convId, seq] of this.#reads) this.#socket.write({ type: 'message.read', convId, seq })
    this.#reads.clear()
  }

  #internalError(err: unknown): void {
    this.#events.emit('error', errorInfo('PARLEY_ERR_SERVER_INTERNAL', [err instanceof Error ? err.message : String(err)]))
  }
}
