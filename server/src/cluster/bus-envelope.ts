import type { Audience, BusEvent, NodeEvent } from '../bus/bus.js'

// What travels on the bus channel, and the check every node runs on what it receives: an envelope
// from another version of Parley, another program on the channel, or plain junk is dropped, never
// handed to fan-out (which would throw on a missing audience and take the node down). The frame
// itself was built by a node from the contract's types; only its shape of an object with a `type`
// is checked here.

/** The envelope version this node writes and reads; anything else is dropped. */
// Still 1 with the batch form (`es`): a bump would have older nodes refuse every envelope, where
// they refuse only batches, which a node sends only when told every node reads them (PARLEY_BUS_BATCH).
export const ENVELOPE_VERSION = 1

/** Brands named in one gap announcement at most; past it the announcement says "all". */
export const MAX_GAP_BRANDS = 100

/** Events one envelope carries at most (a node publishes what it published in one turn, in pieces of this size). */
export const MAX_ENVELOPE_EVENTS = 256

/**
 * An event from a node, the events a node published in one turn (in order), a node event (no client
 * sees it), or a node saying its events of some brands (or of all) were dropped.
 */
export type Envelope =
  | { v: typeof ENVELOPE_VERSION; n: string; e: BusEvent }
  | { v: typeof ENVELOPE_VERSION; n: string; es: BusEvent[] }
  | { v: typeof ENVELOPE_VERSION; n: string; node: NodeEvent }
  | { v: typeof ENVELOPE_VERSION; n: string; gap: string[] | 'all' }

/**
 * The envelope in `json`, or why it is refused. Events of a batch are checked one by one: the ones
 * refused are left out and named in `refusedEvents`, the others still delivered.
 */
export function parseEnvelope(json: string): (Envelope & { refusedEvents?: string[] }) | { refused: string } {
  let raw: unknown
  try { raw = JSON.parse(json) } catch { return { refused: 'not JSON' } }
  if (!isRecord(raw)) return { refused: 'not an object' }
  if (raw.v !== ENVELOPE_VERSION) return { refused: `unknown version ${JSON.stringify(raw.v) ?? 'none'}` }
  if (typeof raw.n !== 'string') return { refused: 'no node id' }
  if ('gap' in raw) {
    const gap = raw.gap
    if (gap === 'all' || (Array.isArray(gap) && gap.every((b) => typeof b === 'string'))) return { v: ENVELOPE_VERSION, n: raw.n, gap }
    return { refused: 'malformed gap' }
  }
  if ('node' in raw) return isNodeEvent(raw.node) ? { v: ENVELOPE_VERSION, n: raw.n, node: raw.node } : { refused: 'malformed node event' }
  if ('es' in raw) return parseBatch(raw.n, raw.es)
  const why = refusedEvent(raw.e)
  return why === null ? { v: ENVELOPE_VERSION, n: raw.n, e: raw.e as BusEvent } : { refused: why }
}

function parseBatch(n: string, es: unknown): (Envelope & { refusedEvents?: string[] }) | { refused: string } {
  if (!Array.isArray(es) || es.length > MAX_ENVELOPE_EVENTS) return { refused: 'malformed batch' }
  const events: BusEvent[] = []
  const refusedEvents: string[] = []
  for (const e of es as unknown[]) {
    const why = refusedEvent(e)
    if (why === null) events.push(e as BusEvent)
    else refusedEvents.push(why)
  }
  return refusedEvents.length === 0 ? { v: ENVELOPE_VERSION, n, es: events } : { v: ENVELOPE_VERSION, n, es: events, refusedEvents }
}

function refusedEvent(e: unknown): string | null {
  if (!isRecord(e)) return 'no event'
  if (typeof e.brandId !== 'string') return 'no brand id'
  if (!isRecord(e.frame) || typeof e.frame.type !== 'string') return 'no frame'
  if (!isAudience(e.audience)) return 'unknown audience'
  for (const k of ['exceptConnId', 'exceptIdentity', 'joinAgentId', 'onlyIdentity'] as const) {
    if (e[k] !== undefined && typeof e[k] !== 'string') return `malformed ${k}`
  }
  return null
}

function isNodeEvent(e: unknown): e is NodeEvent {
  if (!isRecord(e) || typeof e.brandId !== 'string') return false
  switch (e.kind) {
    case 'brand-document-saved': return e.document === 'masking' || e.document === 'security' || e.document === 'webhooks' || e.document === 'widget'
    case 'sessions-revoked': return Array.isArray(e.sessionIds) && e.sessionIds.every((s) => typeof s === 'string')
    case 'visitor-session-ended': return typeof e.visitorId === 'string' && typeof e.sessionId === 'string'
    case 'visitor-erased': return isStrings(e.visitorIds) && isStrings(e.convIds)
    default: return false
  }
}

function isAudience(a: unknown): a is Audience {
  if (!isRecord(a)) return false
  switch (a.kind) {
    case 'agents': return true
    case 'conversation':
    case 'brand': return typeof a.convId === 'string' && typeof a.visitorId === 'string'
    case 'conversation-agents': return typeof a.convId === 'string'
    default: return false
  }
}

function isStrings(x: unknown): x is string[] {
  return Array.isArray(x) && x.every((s) => typeof s === 'string')
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x)
}
