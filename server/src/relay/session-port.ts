import type { ErrorCode, Participant, ServerFrame, VisitorContext, Welcome } from '@parley/sdk/contract'
import type { Principal } from '../auth/policy.js'
import type { RelayContext } from './context.js'
import type { ConversationDelivery } from './conversation-delivery.js'
import type { FanoutTarget } from './fanout.js'

// What a frame handler may see and do of its connection. Each handler takes the narrowest of these
// ports; the session (session.ts) implements them all, and no handler imports the session.
//
// A handler that changes what the connection is returns the change instead of setting it: hello
// returns who the connection is (hello.ts `Identified`), context.update its new context
// (SessionChange), and the session applies them. Some calls stay, on purpose:
// - `send`, `reject`, `fail` and `welcome` act on the socket now, in order with other writes.
// - `helloReceived` must stop the hello timer before the store is asked, not once it answered.
// - The SendPort bookkeeping (`storedIn`, `openingIn`, `appendStarted`/`appendSettled`) changes
//   when a commit settles, in a callback long after handleSend returned: there is no return value
//   to carry it, and it must be visible to the next message.send of the connection at once.

/** What a handler asks its connection to change; the session applies it before the next frame runs. */
export interface SessionChange {
  /** The visitor's context from now on (context.update). */
  visitorContext: VisitorContext
}

/** An authenticated connection: who it is, the relay it runs in, and how to answer. */
export interface SessionPort extends FanoutTarget {
  readonly connId: string
  readonly ctx: RelayContext
  readonly brandId: string
  readonly who: Participant
  /** `visitor:ID` or `agent:ID`. */
  readonly identity: string
  /** The client's IP address (as the relay sees it; behind a trusted proxy, X-Forwarded-For). */
  readonly ip: string
  /** The WebSocket upgrade carried `DNT: 1` or `Sec-GPC: 1` (tracking-policy.ts). */
  readonly privacySignal: boolean
  /** Whom the policy sees (auth/policy.ts): an agent's role is re-read while the connection lives (session-recheck.ts). */
  readonly principal: Principal
  /** Whether the socket has closed or is closing: handlers that waited on the store check it. */
  readonly isClosed: boolean
  /** Sends a frame to this connection alone. */
  send(frame: ServerFrame): void
  /** Sends a frame already serialised (a ServerFrame's JSON) to this connection alone. */
  sendJson(json: string): void
  /**
   * Answers a bad frame with a typed error; too many in a row close the connection. `field` names
   * the survey field an answer was refused for.
   */
  reject(code: ErrorCode, args: readonly unknown[], ref?: string, retryAfterMs?: number, field?: string): void
}

/** A visitor's session: its visit, the token's `sid` (the store records the identity tokens it used by it). */
export interface VisitorSession {
  sid: string
}

/** visitor.identify and visitor.forget: the visitor's session, and closing normally once answered. */
export interface IdentityPort extends SessionPort {
  /** Set for visitors once hello was answered (null for agents). */
  readonly visitorSession: VisitorSession | null
  /** Closes the socket normally (1000) after what was sent; the client says hello again. */
  end(reason: string): void
  /** Sends a typed error and closes with the table's close code (the visit ended meanwhile). */
  fail(code: ErrorCode, args: readonly unknown[], ref?: string): void
}

/** conversation.open: opens a visitor's conversation and knows where one is already stored. */
export interface OpenPort extends SessionPort {
  /** The visitor's context from hello or the last context.update, masked (null for agents). */
  readonly visitorContext: VisitorContext | null
  /** Whether a visitor's message was stored (or their open) in the conversation on this connection (so it exists). */
  hasStoredIn(convId: string): boolean
  /** Records that a visitor's message (or open) was stored in the conversation. */
  storedIn(convId: string): void
}

/** message.send: counts the commits in flight and knows where a visitor's context is already stored. */
export interface SendPort extends OpenPort {
  /**
   * Marks a message that may open the conversation as in flight (true), or settled (false); a
   * message sent meanwhile to the same conversation opens nothing more.
   */
  openingIn(convId: string, inFlight: boolean): void
  /** Whether a message that may open the conversation is in flight on this connection. */
  isOpeningIn(convId: string): boolean
  /** A message was queued for commit; `appendSettled` follows once. */
  appendStarted(): void
  appendSettled(): void
}

/** Replay: the connection's delivery state, and waiting for a slow reader. */
export interface ReplayPort extends SessionPort {
  readonly delivery: ConversationDelivery
  /** Whether more than half the send-queue bound is waiting. */
  readonly isBackedUp: boolean
  /** Resolves when the send queue is below half its bound (or the socket closed). */
  whenWritable(): Promise<void>
}

/** Every port of an authenticated connection. */
export type AuthenticatedPort = SendPort & ReplayPort & IdentityPort

/** The rest of hello, once the session recorded who the connection is. */
export interface WelcomePort extends AuthenticatedPort {
  /** Sends welcome, then whatever fan-out arrived while hello was being answered. */
  welcome(frame: Welcome): void
}

/** hello: the connection before it knows who it is. */
export interface HelloPort {
  readonly connId: string
  readonly ctx: RelayContext
  /**
   * The id of the brand named by `?site=` on the upgrade (visitors), checked against the Origin
   * already. Only the id: the rest of the brand's row (its site key, name, origins) would be kept for
   * the whole connection, and a copy per connection at that.
   */
  readonly siteBrandId: string | null
  /** The WebSocket upgrade carried `DNT: 1` or `Sec-GPC: 1` (tracking-policy.ts). */
  readonly privacySignal: boolean
  /** Whether a hello was already answered on this connection. */
  readonly isAuthenticated: boolean
  /** Whether the socket is still open (after the store answered). */
  readonly isOpen: boolean
  reject(code: ErrorCode, args: readonly unknown[], ref?: string): void
  /** Sends a typed error and closes with the table's close code. */
  fail(code: ErrorCode, args: readonly unknown[], ref?: string): void
  /** A hello arrived in time: however long the store takes to answer it, the hello timer is done. */
  helloReceived(): void
}
