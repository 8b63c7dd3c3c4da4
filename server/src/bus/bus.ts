import type { ServerFrame } from '@parley/sdk/contract'

// Fan-out between relay nodes. Each node publishes what happened; every node (itself included)
// delivers it to the local connections that should see it. In-process by default; Redis
// (cluster/redis-bus.ts) carries the same events between nodes, so no routing state may live only
// in one node's memory. The bus is a hint, the store the truth: events can be lost (Redis down), and
// a node that may have missed some hears it through `onGap`.

/** Who an event goes to. */
export type Audience =
  /** The conversation's visitor and the agents who joined it. */
  | { kind: 'conversation'; convId: string; visitorId: string }
  /** Every agent of the brand who is online. */
  | { kind: 'agents' }
  /** Every agent of the brand who is online, and the conversation's visitor (queue changes). */
  | { kind: 'brand'; convId: string; visitorId: string }
  /** Only the agents who joined the conversation, never its visitor (internal notes). */
  | { kind: 'conversation-agents'; convId: string }

/** One fan-out event, already masked and safe to deliver to its audience. */
export interface BusEvent {
  brandId: string
  audience: Audience
  frame: ServerFrame
  /** Connection that caused the event; it got its own answer and is skipped. */
  exceptConnId?: string
  /** Skip every connection of this identity (`kind:id`), e.g. one's own typing indicator. */
  exceptIdentity?: string
  /** An agent joined the conversation: subscribe their connections on every node before delivery. */
  joinAgentId?: string
  /** Deliver only to the connections of this identity (`kind:id`). */
  onlyIdentity?: string
  /** Deliver on this node only: every node works the frame out for its own connections (queue positions). */
  localOnly?: boolean
}

/**
 * A note from one node to every node, never delivered to a client: a brand document was saved, so
 * whatever a node compiled or cached from it is stale; or sessions ended, so every node closes the
 * live connections that used them.
 */
export type NodeEvent =
  | { kind: 'brand-document-saved'; brandId: string; document: 'masking' | 'security' | 'webhooks' | 'widget' }
  /** Agent sessions were revoked (sign-out, an admin, a deactivated account): close their connections. */
  | { kind: 'sessions-revoked'; brandId: string; sessionIds: string[]; /** The account was deactivated: its consoles say so, not just "signed out". */ code?: 'PARLEY_ERR_AUTH_ACCOUNT_INACTIVE' }
  /** A visitor session ended (visitor.forget): close the connections that use its token. */
  | { kind: 'visitor-session-ended'; brandId: string; visitorId: string; sessionId: string }
  /**
   * A visitor's data was erased: close their connections and end their visits, and forget what is
   * cached of those conversations' text (sender tails).
   */
  | { kind: 'visitor-erased'; brandId: string; visitorIds: string[]; convIds: string[] }

/** Which brands' events a node may have missed: some, or (unknown which) all of them. */
export type GapBrands = ReadonlySet<string> | 'all'

/** Publish/subscribe transport for fan-out. */
export interface Bus {
  publish(event: BusEvent): void
  /** Registers a handler for every event; returns an unsubscribe function. */
  subscribe(handler: (event: BusEvent) => void): () => void
  /** Tells every node (this one at once, synchronously) something no client sees. */
  publishToNodes(event: NodeEvent): void
  /** Registers a handler for node events; returns an unsubscribe function. */
  subscribeNodes(handler: (event: NodeEvent) => void): () => void
  /**
   * Registers a handler called when this node may have missed events of `brands` (its link to the
   * other nodes came back after a drop, or another node dropped publishes); returns an unsubscribe
   * function. A single node's bus never calls it.
   */
  onGap(handler: (brands: GapBrands) => void): () => void
  close(): Promise<void>
}
