import { AUDIT_ACTIONS, type AuditAction, type AuditQuery } from '@parley/sdk/contract'

// The audit log's filter form turned into GET /v1/audit's query. Pure: the form's strings in, the
// query out; what does not parse is left out rather than sent for the relay to refuse.

/** The filter form's fields as typed. */
export interface AuditFilters {
  /** `agent:ID`, `key:ID`, or a kind alone (`system`, `agent`…); empty: anyone. */
  actor: string
  /** One of AUDIT_ACTIONS; empty: any. */
  action: string
  /** `datetime-local` values (the browser's time zone); empty: open-ended. */
  from: string
  to: string
}

/** The form before anything is typed. */
export const NO_FILTERS: AuditFilters = { actor: '', action: '', from: '', to: '' }

const KINDS = ['agent', 'key', 'visitor', 'system', 'anonymous'] as const
type ActorKind = (typeof KINDS)[number]

function isKind(v: string): v is ActorKind {
  return (KINDS as readonly string[]).includes(v)
}

/** A `datetime-local` value as epoch milliseconds, or undefined when empty or malformed. */
function instant(v: string): number | undefined {
  if (!v.trim()) return undefined
  const t = new Date(v).getTime()
  return Number.isFinite(t) ? t : undefined
}

/** The query for `f`, continuing at `cursor` (the page's `next`) when given. */
export function auditQuery(f: AuditFilters, cursor: string | null = null, limit = 50): AuditQuery {
  const q: AuditQuery = { limit }
  const actor = f.actor.trim()
  const colon = actor.indexOf(':')
  const kind = colon < 0 ? actor : actor.slice(0, colon)
  if (isKind(kind)) {
    q.actorKind = kind
    const id = colon < 0 ? '' : actor.slice(colon + 1).trim()
    if (id) q.actorId = id
  }
  if ((AUDIT_ACTIONS as readonly string[]).includes(f.action)) q.action = f.action as AuditAction
  const from = instant(f.from)
  const to = instant(f.to)
  if (from !== undefined) q.from = from
  if (to !== undefined) q.to = to
  if (cursor) q.cursor = cursor
  return q
}
