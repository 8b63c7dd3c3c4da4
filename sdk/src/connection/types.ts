import type {
  ClientFrame, ConversationStarted, ConversationSummary, HelloAuth, MessageAck, MessageNew, ServerFrame, SurveyAnswered, SurveyRequested,
  VisitorContext, Welcome,
} from '../contract/frames.js'
import type { SurveySubmission } from '../contract/surveys.js'
import type { AttachmentRef } from '../contract/attachments.js'
import type { ErrorCode } from '../contract/errors.js'
import type { VerifiedCustomer } from '../contract/security.js'

// The shape of the one live connection client, shared by the widget, the console, tests and Node
// programs. Everything that touches the outside world (WebSocket, storage, timers, randomness,
// cross-tab locks) is injected, so the same code runs in a browser tab and in Node 20 with `ws`.
// Browser bundles must import only types from the contract (plus version.ts and errors.ts), so
// TypeBox never reaches a page.

/** The part of the WHATWG WebSocket the client uses; the browser's and `ws`'s both fit. */
export interface WebSocketLike {
  readonly readyState: number
  send(data: string): void
  close(code?: number, reason?: string): void
  onopen: ((ev: unknown) => void) | null
  onmessage: ((ev: { data: unknown }) => void) | null
  onclose: ((ev: { code: number; reason: string }) => void) | null
  onerror: ((ev: unknown) => void) | null
}

/** A WebSocket constructor: `globalThis.WebSocket` in browsers, `ws`'s `WebSocket` in Node. */
export type WebSocketFactory = new (url: string) => WebSocketLike

/**
 * Async key-value storage the client keeps its outbox, read positions and visitor token in. In
 * browsers: IndexedDB through idb-keyval (first-party to the brand's page); in Node: memory or a
 * file. Values are structured-cloneable plain data.
 */
export interface KeyValueStorage {
  get<T>(key: string): Promise<T | undefined>
  set(key: string, value: unknown): Promise<void>
  del(key: string): Promise<void>
  /** Every key starting with `prefix`, in no particular order. */
  keys(prefix: string): Promise<string[]>
  /**
   * Every key starting with `prefix` with its value, in one read. Optional: without it the client
   * reads `keys` then each value. A store that can read a key range (IndexedDB) should offer it, so
   * listing the outbox costs what the outbox holds, not what the whole store holds.
   */
  entries?(prefix: string): Promise<[string, unknown][]>
}

/** Timers and the wall clock; tests inject fakes to drive backoff and heartbeats. */
export interface ClientClock {
  now(): number
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

/**
 * What the platform knows about the network: in browsers `navigator.onLine` and the window's
 * `online`/`offline` events. Offline is trusted at once (no socket can work); online is only a hint
 * to try now, since a browser may say online behind a dead router.
 */
export interface NetworkSignal {
  /** Whether the platform believes it is online now. */
  isOnline(): boolean
  /** Calls `fn` on every change; returns the unsubscribe function. */
  subscribe(fn: (online: boolean) => void): () => void
}

/**
 * A message (or a conversation opening, or a survey answer) written to the outbox before it is
 * sent, removed only when the relay acks it. Entries stored by an older client have no `kind`:
 * they are messages, and replay as such.
 */
export interface OutboxEntry {
  convId: string
  clientMsgId: string
  /** The message's text; '' for an opening or an answer. */
  text: string
  /** Absent: a message (`message.send`); `open`: a `conversation.open`; `answer`: a `survey.answer`. */
  kind?: 'open' | 'answer'
  /** The answers an opening (pre-chat survey, optional) or an answer (required) carries. */
  survey?: SurveySubmission
  /** Files of a message: each uploaded (then its thumbnail) before the message is sent. */
  files?: OutboxFile[]
  /** When the user sent it (client clock), for ordering the outbox and display. */
  createdAt: number
  /** The tab (or process) that wrote it; see `ConnectionOptions.isOwnerAlive`. */
  owner: string
}

/** A file's bytes: a Blob (browsers and Node 20 both have it; IndexedDB stores it as it is). */
export interface BlobLike {
  readonly size: number
  readonly type: string
}

/** A file to send with a message: its bytes and, for an image, a small preview the sender made. */
export interface OutgoingFile {
  name: string
  /** One of the contract's ATTACHMENT_TYPES; the relay sniffs the bytes to check it. */
  type: string
  data: BlobLike
  /** PNG, JPEG or WebP of at most MAX_THUMBNAIL_SIDE px a side. */
  thumbnail?: BlobLike
}

/** A file waiting in the outbox with its message, uploaded before the message goes. */
export interface OutboxFile {
  /** Idempotency-Key of its upload: made once when queued, reused on every retry. */
  key: string
  name: string
  type: string
  size: number
  data: BlobLike
  thumbnail?: BlobLike
  /** What the relay stored, once the upload was answered. */
  ref?: AttachmentRef
  /** The thumbnail was stored, or refused (the file then goes without one). */
  thumbnailDone?: boolean
}

/** The part of WHATWG fetch the client uses for uploads and downloads. */
export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body?: unknown }) => Promise<{
  ok: boolean
  status: number
  json(): Promise<unknown>
  blob(): Promise<BlobLike>
}>

/** Where the connection stands. `retrying` carries when the next attempt starts. */
export type ConnectionState =
  | { kind: 'idle' }
  /** `reconnecting`: a socket was open (or lost) since start(), so this attempt replaces it. */
  | { kind: 'connecting'; attempt: number; reconnecting: boolean }
  | { kind: 'open'; welcome: Welcome }
  | { kind: 'retrying'; attempt: number; at: number; code: ErrorCode | null }
  /** The network signal says offline: no attempt until it says online again. */
  | { kind: 'offline' }
  /** Stopped for good: stop() was called, or the relay refused us (bad token, unknown site). */
  | { kind: 'stopped'; code: ErrorCode | null }

/** A typed failure: an error frame, a close code, or a request that timed out or was cut off. */
export interface ConnectionErrorInfo {
  code: ErrorCode
  message: string
  retryable: boolean
  /** The `ref` of the frame that caused it, when there was one. */
  ref?: string
  /** When the relay said how long to wait before sending again (rate limits). */
  retryAfterMs?: number
  /** The survey field an answer was refused for (PARLEY_ERR_SURVEY_ANSWER_INVALID). */
  field?: string
}

/** Events a connection emits. Handlers run synchronously, in the order frames arrived. */
export interface ConnectionEvents {
  state: ConnectionState
  /** Every frame from the relay, after the client has applied it (acks, cursors). */
  frame: ServerFrame
  /** A stored message: live fan-out, resume replay, or (with `own: true`) the ack of our own send. */
  message: { message: MessageNew; own: boolean }
  /** An outbox entry was acked; it has left the outbox. */
  ack: { entry: OutboxEntry; ack: MessageAck }
  /** The outbox changed (added, acked, refused); `entries` is the whole outbox, oldest first. */
  outbox: { entries: OutboxEntry[] }
  /**
   * An outbox entry the relay refused for good (closed conversation, text too long, an invalid
   * survey answer with the `field` in `error`...).
   */
  refused: { entry: OutboxEntry; error: ConnectionErrorInfo }
  /** A conversation opening (openConversation) was stored; it has left the outbox. */
  opened: { entry: OutboxEntry; started: ConversationStarted }
  /** A survey answer (answerSurvey) was stored; it has left the outbox. */
  answered: { entry: OutboxEntry; answered: SurveyAnswered }
  /** An agent sent the visitor a survey in one of their conversations. */
  surveyRequested: SurveyRequested
  /** An error frame that answered no pending request, or a fatal close. */
  error: ConnectionErrorInfo
  /**
   * The relay refused the visitor token stored by an earlier page (expired, the visit ended by a
   * logout elsewhere, or the visitor erased): the client deleted that visit's token, resume
   * positions and held messages (the outbox stays) and connects as a new visitor; the caller's own
   * copy of the visit, a saved history, should go too.
   */
  forgotten: undefined
  /**
   * Conversations the relay listed: a visitor's newest (welcome), or, for an agent, the open ones
   * they joined, the newest page in welcome and then each further page, which the client lists by
   * itself after every welcome so the connection follows them all.
   */
  conversations: ConversationSummary[]
}

/** What `createConnection` needs. Only `url`, `auth`, `WebSocket` and `storage` are required. */
export interface ConnectionOptions {
  /** `ws(s)://relay/v1/live`, with `?site=SITE_KEY` for visitors. */
  url: string
  /** Visitor (token from storage, if any, is filled in by the client) or agent credentials. */
  auth: HelloAuth
  WebSocket: WebSocketFactory
  storage: KeyValueStorage
  /** Key prefix in `storage`, so several sites or agents can share one store (default `parley:`). */
  storagePrefix?: string
  /** The visitor context sent in each hello; called at every (re)connect. */
  context?: () => VisitorContext | undefined
  clock?: ClientClock
  /** Uniform [0, 1) for backoff jitter (default Math.random). */
  random?: () => number
  /** Makes client ids (messages, new conversations); default: 21 random url-safe characters. */
  newId?: () => string
  /** Backoff: first delay, cap and factor; full jitter. Defaults 500 ms, 30 s, 2. */
  backoff?: { initialMs?: number; maxMs?: number; factor?: number }
  /** This tab's (or process's) id, written on the outbox entries it makes. Default: a new id. */
  owner?: string
  /**
   * Whether the writer of an outbox entry is still alive (another open tab sends its own entries).
   * The client replays an entry on (re)connect only when it is its own or its owner is gone.
   * Default: only our own entries and entries of owners not seen alive (always false for others).
   */
  isOwnerAlive?: (owner: string) => Promise<boolean>
  /** Runs `fn` holding a lock shared by all tabs of the site (Web Locks), so replays never overlap. */
  withLock?: <T>(name: string, fn: () => Promise<T>) => Promise<T>
  /** Time without any frame after which the connection is presumed dead (default 2 × heartbeat). */
  idleTimeoutMs?: number
  /** A message unacked this long makes the client probe the socket with a `ping` (default 2 s). */
  ackWaitMs?: number
  /** A probe `ping` with no frame back within this long closes the socket as dead (default 2.5 s). */
  probeTimeoutMs?: number
  /** Online/offline hints from the platform (browsers); without it only the socket tells. */
  network?: NetworkSignal
  /**
   * Whether to fetch, after welcome, conversations the relay lists that this client holds nothing of
   * (default true: a visitor's new tab gets its history). The console turns it off: it resumes the
   * chats it shows itself.
   */
  resumeListed?: boolean
  /**
   * Whether read positions saved by an earlier page are used (default true). The console turns it
   * off: it rebuilds every chat from the relay, so the client deletes them instead.
   */
  restoreCursors?: boolean
  /** How long a `request` waits for its answer (default 10 s). */
  requestTimeoutMs?: number
  /**
   * Keep each acked message in storage (`held()`) until `release()` says the caller has saved it
   * elsewhere (default false). The widget saves its history a moment after an ack; without this a
   * reload in that moment, with the relay unreachable, would lose the message from view.
   */
  holdAcked?: boolean
  /** fetch for file uploads and downloads (default the platform's). */
  fetch?: FetchLike
  /** The relay's HTTP origin for REST (default: `url` with http(s) for ws(s), path dropped). */
  httpUrl?: string
}

/** The live connection client. */
export interface Connection {
  readonly state: ConnectionState
  /** Connects (and keeps reconnecting with backoff) until stop(). */
  start(): void
  /** Closes the socket and stops reconnecting; the outbox stays in storage for next time. */
  stop(): Promise<void>
  /** A fresh id for a new conversation (a visitor's first message to it opens it). */
  newConversationId(): string
  /**
   * Writes the message to the outbox, then sends it when connected. Resolves with the outbox
   * entry once it is stored (not when acked: listen to `ack` / `message`). `files` are stored
   * with the entry and uploaded (POST /v1/attachments) before the message goes; a file the relay
   * refuses for good (too large, type) refuses the entry (`refused`).
   */
  send(convId: string, text: string, files?: readonly OutgoingFile[]): Promise<OutboxEntry>
  /**
   * Opens a conversation explicitly (with the pre-chat survey's answers, if any): written to the
   * outbox and sent like a message, so it survives reloads and is stored once. Settled by `opened`
   * or `refused`. A later `send` to the same conversation goes after it.
   */
  openConversation(convId: string, survey?: SurveySubmission): Promise<OutboxEntry>
  /** Answers a survey in a conversation (post-chat, or one an agent sent), through the outbox like a message; settled by `answered` or `refused`. */
  answerSurvey(convId: string, survey: SurveySubmission): Promise<OutboxEntry>
  /** Everything still waiting for an ack, oldest first. */
  outbox(): Promise<OutboxEntry[]>
  /**
   * Whether the visitor token stored by an earlier page had expired (its `exp`, read without
   * verifying): the client then deleted that visit's token, resume positions and held messages
   * (the outbox stays, and is sent as the new visitor's), and the caller's own copy of the visit,
   * a saved history, should go too.
   */
  visitExpired(): Promise<boolean>
  /** Our acked messages kept since (`holdAcked`), oldest first, with their stored (masked) text. */
  held(): Promise<MessageNew[]>
  /** Forgets held messages once the caller has saved them. */
  release(clientMsgIds: readonly string[]): Promise<void>
  /** The highest seq this client holds for a conversation (persisted across reloads). */
  lastSeq(convId: string): number
  /**
   * Sets where the next resume of a conversation starts (and persists it), even backwards: the
   * widget resumes from what its saved history holds. Call before `start()`.
   */
  setResumePoint(convId: string, seq: number): Promise<void>
  /**
   * A file (or its thumbnail) of a message, fetched with this connection's token; rejects with a
   * ConnectionError (not found, no token yet, network).
   */
  download(attachmentId: string, part?: 'file' | 'thumbnail'): Promise<BlobLike>
  /** Typing indicators: sent only while open, dropped otherwise (never queued). */
  typing(convId: string, typing: boolean): void
  /**
   * Asks the relay to close `convId` (a visitor ending their chat; the relay answers
   * conversation.closed to every side). Sent only while open, never queued: false when not sent.
   */
  closeConversation(convId: string): boolean
  /** Marks a conversation read up to `seq` (sent when open, coalesced). */
  read(convId: string, seq: number): void
  /** Updates the context for this and every later hello, and tells the relay if connected. */
  updateContext(context: VisitorContext): void
  /**
   * Sends a frame that the relay answers (queue.list, conversation.join/accept/assign/close/resume)
   * with a fresh `ref`; resolves with the answer, rejects with a ConnectionErrorInfo-shaped error.
   * A refusal for the frame rate (`PARLEY_ERR_LIMIT_RATE`) is sent again after the relay's
   * `retryAfterMs`, a few times, before it rejects.
   */
  request<T extends ServerFrame = ServerFrame>(frame: ClientFrame): Promise<T>
  /**
   * A visitor's page says who its logged-in customer is: `token` is the JWT the brand signed.
   * Connects if idle or stopped (not after a fatal close) and waits for the connection; a token naming (by its unverified `sub`) the
   * customer the relay already verified this visitor as is not sent again. Otherwise the relay
   * verifies it, the client keeps the new visitor token and says hello again at once with it (the
   * current conversation and the outbox's unsent messages come along). Rejects with a
   * ConnectionError (`PARLEY_ERR_IDENTITY_*`, or lost / timeout) and then changes nothing.
   */
  identify(token: string): Promise<VerifiedCustomer>
  /**
   * The visitor logged out: tells the relay (when open; offline it still forgets locally), then
   * deletes everything the client stored for the site (token, outbox, cursors, held messages) and,
   * when it was running, connects again as a new anonymous visitor (`reconnect: false`: it stays
   * stopped until start(), so a page that connects only when the visitor chats makes no visitor).
   */
  forget(opts?: { reconnect?: boolean }): Promise<void>
  on<K extends keyof ConnectionEvents>(event: K, fn: (data: ConnectionEvents[K]) => void): () => void
}
