import fp from 'fastify-plugin'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Action, ErrorCode } from '@parley/sdk/contract'
import type { TokenSigner } from '../auth/tokens.js'
import { hashApiKey, isApiKey } from '../auth/api-keys.js'
import { checkAgentSession } from '../auth/agent-session.js'
import { decide, type ConversationResource, type Principal, type PolicySettings } from '../auth/policy.js'
import type { Store } from '../store/store.js'
import type { Clock } from '../deps.js'
import { actorOf, type AuditLog } from '../audit/audit-log.js'
import { httpError } from '../errors.js'
import { erasedVisitorTokenId } from '../data-rights/erase-visitor.js'

export type { Principal } from '../auth/policy.js'

// Who a REST request speaks for, and whether the policy lets it: the credential (`Authorization:
// Bearer`) is resolved here against the store on every request, so a revoked key or session, or a
// deactivated account, is refused at once on every node that shares the store.

/** Set on each requirePrincipal/authorize hook: the credentials it accepts (the OpenAPI document lists them). */
export const kPrincipalKinds = Symbol('parley.principalKinds')
/** Set on each authorize hook: the action it asks the policy about (the OpenAPI document names its scope). */
export const kAction = Symbol('parley.action')

/** How often lastUsedAt / lastSeenAt move forward: a write a minute per key or session at most. */
const TOUCH_EVERY_MS = 60_000

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null
  }
  interface FastifyInstance {
    /** preHandler that requires one of `kinds` and sets `request.principal` (no policy question asked). */
    requirePrincipal(...kinds: Principal['kind'][]): (req: FastifyRequest, reply: FastifyReply) => Promise<void>
    /** preHandler that resolves the credential, asks the policy about `action`, audits a denial and refuses it. */
    authorize(action: Action): (req: FastifyRequest, reply: FastifyReply) => Promise<void>
    /**
     * Asks the policy about `action` on a resource the handler has read (a conversation); audits and
     * throws the denial. The request's principal must be set (requirePrincipal or authorize ran).
     */
    checkAccess(req: FastifyRequest, action: Action, conversation?: ConversationResource | null): Promise<void>
    /**
     * Whether the policy allows `action` (on `conversation`), without refusing or auditing: for a
     * handler that answers less rather than refusing (an agent's listing narrowed to their own).
     */
    allows(req: FastifyRequest, action: Action, conversation?: ConversationResource | null): Promise<boolean>
    /**
     * Refuses what a handler found its principal may not do beyond the policy's question (a key
     * granting scopes it lacks, removing the last admin): audits it as access.denied with `code`,
     * logs it and throws the typed error.
     */
    refuse(req: FastifyRequest, action: Action, denial: Refusal): Promise<never>
  }
}

/** A refusal a handler decided: the code, its message arguments, and the resource it was about. */
export interface Refusal {
  code: ErrorCode
  args?: readonly unknown[]
  resource?: { type: string; id: string | null } | null
}

export interface AuthOptions {
  store: Store
  signer: TokenSigner
  clock: Clock
  audit: AuditLog
  /** The brand's settings the policy reads (security config with defaults). */
  policySettings(brandId: string): Promise<PolicySettings>
}

/** Resolves bearer credentials (API keys by hash, signed agent and visitor tokens) and enforces the policy. */
export const authPlugin = fp<AuthOptions>(async (app, { store, signer, clock, audit, policySettings }) => {
  app.decorateRequest('principal', null)

  const touched = (last: number | null, now: number) => last === null || now - last >= TOUCH_EVERY_MS
  const logTouchFailure = (err: unknown) => app.log.warn({ err }, 'last-used time not recorded')

  async function resolve(req: FastifyRequest): Promise<Principal> {
    const header = req.headers.authorization
    const m = typeof header === 'string' ? /^Bearer ([\x21-\x7e]{1,4096})$/.exec(header) : null
    if (!m) throw httpError('PARLEY_ERR_AUTH_REQUIRED')
    const credential = m[1]!
    const now = clock.now()
    if (isApiKey(credential)) {
      const key = await store.findApiKey(hashApiKey(credential))
      if (!key) throw httpError('PARLEY_ERR_AUTH_TOKEN_INVALID')
      // Revoked is revoked whatever the time: a node whose clock runs behind the revoking one must not accept it.
      if (key.revokedAt !== null) throw httpError('PARLEY_ERR_AUTH_KEY_REVOKED')
      if (key.expiresAt !== null && key.expiresAt <= now) throw httpError('PARLEY_ERR_AUTH_KEY_EXPIRED')
      if (touched(key.lastUsedAt, now)) store.updateApiKey(key.brandId, key.keyId, { lastUsedAt: now }).catch(logTouchFailure)
      return { kind: 'brand', brandId: key.brandId, keyId: key.keyId, scopes: key.scopes }
    }
    const v = signer.verify(credential)
    if (!v.ok) throw httpError(v.code)
    const c = v.claims
    if (c.kind === 'agent') {
      const checked = await checkAgentSession(store, c, now)
      if (!checked.ok) throw httpError(checked.code)
      const { agent, session } = checked
      if (touched(session.lastSeenAt, now)) store.touchSession(c.brand, session.sessionId, now).catch(logTouchFailure)
      return { kind: 'agent', brandId: c.brand, agentId: c.sub, role: agent.role, sessionId: session.sessionId }
    }
    if (c.sid && await store.isTokenIdRevoked(c.brand, c.sid, now)) throw httpError('PARLEY_ERR_AUTH_SESSION_REVOKED')
    if (await store.isTokenIdRevoked(c.brand, erasedVisitorTokenId(c.sub), now)) throw httpError('PARLEY_ERR_AUTH_SESSION_REVOKED')
    return { kind: 'visitor', brandId: c.brand, visitorId: c.sub, ...(c.cust ? { customerId: c.cust } : {}) }
  }

  async function decideFor(p: Principal, action: Action, conversation?: ConversationResource | null) {
    // The brand's settings matter only for an agent asking for a customer's history.
    const asksHistory = action === 'customer.history' || conversation?.ofServedCustomer === true
    const settings = asksHistory && p.kind === 'agent' ? await policySettings(p.brandId) : undefined
    return decide(p, action, conversation, settings)
  }

  async function allows(req: FastifyRequest, action: Action, conversation?: ConversationResource | null): Promise<boolean> {
    return req.principal !== null && req.principal !== undefined && await decideFor(req.principal, action, conversation) === null
  }

  /** Audits a denial of `action` by `p` (never a visitor's: see below), logs it and throws it. */
  async function deny(req: FastifyRequest, p: Principal, action: Action, refusal: Refusal): Promise<never> {
    // A visitor probing another's ids learns nothing, and leaves nothing in the brand's log either.
    if (p.kind !== 'visitor') {
      await audit.record({
        brandId: p.brandId, actor: actorOf(p), action: 'access.denied', outcome: 'denied', code: refusal.code, ip: req.ip,
        resource: refusal.resource ?? null, detail: { action, route: req.routeOptions.url ?? '' },
      })
    }
    req.log.warn({ brandId: p.brandId, kind: p.kind, action, code: refusal.code }, 'access denied')
    throw httpError(refusal.code, ...(refusal.args ?? []))
  }

  async function check(req: FastifyRequest, action: Action, conversation?: ConversationResource | null): Promise<void> {
    const p = req.principal
    if (!p) throw httpError('PARLEY_ERR_AUTH_REQUIRED')
    const denial = await decideFor(p, action, conversation)
    if (!denial) return
    await deny(req, p, action, { code: denial.code, args: denial.args, resource: conversation ? { type: 'conversation', id: conversation.convId } : null })
  }

  app.decorate('requirePrincipal', (...kinds: Principal['kind'][]) => Object.assign(async (req: FastifyRequest) => {
    const p = await resolve(req)
    if (!kinds.includes(p.kind)) throw httpError('PARLEY_ERR_AUTH_FORBIDDEN', `call ${req.routeOptions.url ?? req.url}`)
    req.principal = p
  }, { [kPrincipalKinds]: kinds }))

  app.decorate('authorize', (action: Action) => Object.assign(async (req: FastifyRequest) => {
    req.principal = await resolve(req)
    await check(req, action)
  }, { [kPrincipalKinds]: ['brand', 'agent'] as Principal['kind'][], [kAction]: action }))

  app.decorate('checkAccess', check)
  app.decorate('allows', allows)
  app.decorate('refuse', async (req: FastifyRequest, action: Action, refusal: Refusal): Promise<never> => {
    const p = req.principal
    if (!p) throw httpError('PARLEY_ERR_AUTH_REQUIRED')
    return deny(req, p, action, refusal)
  })
}, { name: 'parley-auth', fastify: '5.x' })
