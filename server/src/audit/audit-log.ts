import type { AuditAction, AuditActor, AuditEntry, SecurityConfig } from '@parley/sdk/contract'
import type { Store } from '../store/store.js'
import type { Clock } from '../deps.js'
import type { Principal } from '../auth/policy.js'
import { keptAddress } from './client-address.js'

// The brand's audit log: who did what to which resource, when, from where. One entry per audited
// action, appended before the action's answer goes out (a read is recorded before the data leaves;
// if the entry cannot be written the request fails instead of going unrecorded). It records ids,
// counts and field names, never message text, search terms, answers, tokens or secrets.

/** One audited action, as an edge reports it. */
export interface AuditInput {
  brandId: string
  actor: AuditActor
  action: AuditAction
  resource?: { type: string; id: string | null } | null
  outcome?: AuditEntry['outcome']
  code?: string | null
  /** The client's address as received; kept per the brand's `addresses` setting. */
  ip?: string | null
  detail?: AuditEntry['detail']
}

/** What a request did; its brand, actor and address come from the request itself. */
export type RequestAuditInput = Omit<AuditInput, 'brandId' | 'actor' | 'ip'>

/** The part of a request an entry is built from (a Fastify request after the auth plugin ran). */
export interface AuditedRequest {
  principal: Principal | null
  ip: string
}

/** Appends audit entries. */
export interface AuditLog {
  record(entry: AuditInput): Promise<void>
  /** Records what `req` did, as its principal, from its address. */
  recordRequest(req: AuditedRequest, what: RequestAuditInput): Promise<void>
}

/** The actor a principal stands for. */
export function actorOf(p: Principal): AuditActor {
  if (p.kind === 'brand') return { kind: 'key', id: p.keyId }
  if (p.kind === 'agent') return { kind: 'agent', id: p.agentId }
  return { kind: 'visitor', id: p.visitorId }
}

/** The entry input for `what`, done by the request's principal from the request's address. */
export function inputOfRequest(req: AuditedRequest, what: RequestAuditInput): AuditInput {
  const p = req.principal
  // An audited handler runs behind authorize/requirePrincipal; without a principal it is miswired.
  if (!p) throw new Error('an audited request has no principal')
  return { ...what, brandId: p.brandId, actor: actorOf(p), ip: req.ip }
}

/** An audit log over the store; `settings` reads the brand's security settings (cached by the caller). */
export function createAuditLog(deps: { store: Pick<Store, 'appendAudit'>; clock: Clock; settings: (brandId: string) => Promise<SecurityConfig | null> }): AuditLog {
  async function record(e: AuditInput): Promise<void> {
    const config = await deps.settings(e.brandId)
    await deps.store.appendAudit([{
      brandId: e.brandId,
      at: deps.clock.now(),
      actor: e.actor,
      action: e.action,
      resource: e.resource ?? null,
      outcome: e.outcome ?? 'ok',
      code: e.code ?? null,
      address: keptAddress(e.ip, config?.addresses ?? 'truncated'),
      detail: e.detail ?? {},
    }])
  }
  return {
    record,
    recordRequest: (req, what) => record(inputOfRequest(req, what)),
  }
}
