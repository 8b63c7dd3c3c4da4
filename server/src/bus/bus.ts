import type { ServerFrame } from '@parley/sdk/contract'

// Fan-out between relay nodes. Each node publishes what happened; every node (itself included)
// delivers it to the local connections that should see it. In-process by default; Redis (roadmap)
// carries the same events between nodes, so no routing state may live only in one node's memory.

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
}

/** Publish/subscribe transport for fan-out. */
export interface Bus {
  publish(event: BusEvent): void
  /** Registers a handler for every event; returns an unsubscribe function. */
  subscribe(handler: (event: BusEvent) => void): () => void
  close(): Promise<void>
}
