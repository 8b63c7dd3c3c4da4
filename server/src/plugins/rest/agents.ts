import type { FastifyPluginAsync } from 'fastify'
import {
  Agent, AgentList, AgentLogin, AgentPresence, AgentPresenceList, AgentSession, SetAgentStatus, type Limits,
} from '@parley/sdk/contract'
import type { Deps } from '../../deps.js'
import type { TokenSigner } from '../../auth/tokens.js'
import { DUMMY_HASH, hashPassword, needsRehash, verifyPassword } from '../../auth/passwords.js'
import { publicAgent } from '../../admin/agents.js'
import { httpError } from '../../errors.js'
import { createConcurrencyGate } from '../../auth/concurrency-gate.js'
import { retryAfter } from './rate-limits.js'
import { addressKey } from '../../address-key.js'
import type { StatusBoard } from '../../agents/status-board.js'
import type { SecuritySettings } from '../../auth/security-settings.js'
import { keptAddress } from '../../audit/client-address.js'
import type { AuditLog } from '../../audit/audit-log.js'
import type { AgentRecord } from '../../store/store.js'

const AGENT_LIST_LIMIT = 1000
/** Accounts whose login attempts are counted at once (a few hundred bytes each: tens of MB when full). */
const LOGIN_ACCOUNTS_TRACKED = 200_000

/** Agent login and agents' availability (status, capacity, presence); accounts themselves are accounts.ts. */
export const agentRoutes: FastifyPluginAsync<{ deps: Deps; signer: TokenSigner; limits: Limits; board: StatusBoard; security: SecuritySettings; audit: AuditLog }> = async (app, { deps, signer, limits, board, security, audit }) => {
  const verify = deps.verifyPassword ?? verifyPassword
  const hashing = createConcurrencyGate(limits.passwordChecksInFlight, limits.passwordChecksQueued)
  // Guessing one account's password is throttled per brand and e-mail, on top of the per-IP limit
  // every route has, so spreading guesses over many addresses does not help either. Counted before
  // any hashing: a refused attempt costs no scrypt.
  // On one node (and on any node while Redis fails) the account counts sit in an LRU: whoever can
  // add keys faster than a victim's counter ages out of it resets that counter. So each address may
  // name only agentLoginsPerIpPerMinute accounts a minute (checked first, and a refusal there adds no
  // account key), and the LRU holds enough accounts that flushing it within a minute takes thousands
  // of addresses (IPv6 /64s). Clustered, the counts are Redis keys that expire with their window.
  const perAddress = app.createRateLimit({
    max: limits.agentLoginsPerIpPerMinute,
    timeWindow: 60_000,
    keyGenerator: (req) => `login-ip\n${addressKey(req.ip)}`,
  })
  const perAccount = app.createRateLimit({
    max: limits.agentLoginsPerMinute,
    timeWindow: 60_000,
    // The plugin passes `cache` (its LRU's size) on to this limiter's store; its types omit it.
    ...{ cache: LOGIN_ACCOUNTS_TRACKED },
    keyGenerator: (req) => {
      const body = req.body as AgentLogin
      return `login\n${body.brandId}\n${body.email.trim().toLowerCase()}`
    },
  })

  app.post<{ Body: AgentLogin }>('/v1/agent/sessions', {
    schema: { summary: 'Log an agent in: a bearer token for the console and the API', body: AgentLogin, response: { 200: AgentSession } },
    preHandler: async (req, reply) => {
      const a = await perAddress(req)
      if (!a.isAllowed && a.isExceeded) {
        req.log.warn({ ip: req.ip }, 'agent login rate limit per address reached')
        throw retryAfter(reply, limits.agentLoginsPerIpPerMinute / 60, a.ttl)
      }
      const r = await perAccount(req)
      if (!r.isAllowed && r.isExceeded) {
        req.log.warn({ brandId: req.body.brandId }, 'agent login rate limit reached')
        throw retryAfter(reply, limits.agentLoginsPerMinute / 60, r.ttl)
      }
    },
  }, async (req, reply) => {
    const { brandId, email, password } = req.body
    const agent = await deps.store.getAgentByEmail(brandId, email.trim().toLowerCase())
    // Spend the same scrypt time whether or not the account exists.
    const stored = agent?.passwordHash ?? DUMMY_HASH
    const checked = await hashing.run(() => verify(password, stored))
    if (!checked) {
      req.log.warn({ brandId, waiting: hashing.waiting }, 'password check queue full')
      void reply.header('retry-after', '1')
      throw httpError('PARLEY_ERR_LIMIT_BUSY', 'logins', 1000)
    }
    const ok = checked.value
    if (!agent || !ok) {
      req.log.warn({ brandId }, 'agent login refused')
      await auditFailedSignIn(brandId, agent, 'PARLEY_ERR_AUTH_CREDENTIALS', req.ip)
      throw httpError('PARLEY_ERR_AUTH_CREDENTIALS')
    }
    if (!agent.active) {
      req.log.warn({ brandId }, 'agent login refused: account deactivated')
      await auditFailedSignIn(brandId, agent, 'PARLEY_ERR_AUTH_ACCOUNT_INACTIVE', req.ip)
      throw httpError('PARLEY_ERR_AUTH_ACCOUNT_INACTIVE')
    }
    // After the answer, and only with a hashing slot to spare: never at the cost of anyone's sign-in.
    if (needsRehash(agent.passwordHash)) void rehash(agent, password)
    // The token names a session the store holds: signing out (or an admin) revokes it on every node.
    const sessionId = deps.ids.next('s_')
    const now = deps.clock.now()
    const { token, expiresAt } = signer.sign({ sub: agent.agentId, brand: agent.brandId, kind: 'agent', sid: sessionId }, limits.agentTokenTtlSeconds)
    const addresses = (await security.config(brandId))?.addresses ?? 'truncated'
    const userAgent = typeof req.headers['user-agent'] === 'string' ? req.headers['user-agent'].slice(0, 256) : null
    await deps.store.createSession({
      brandId, sessionId, agentId: agent.agentId, createdAt: now, lastSeenAt: now, expiresAt, revokedAt: null,
      address: keptAddress(req.ip, addresses), userAgent,
    })
    await audit.record({
      brandId, actor: { kind: 'agent', id: agent.agentId }, action: 'session.sign_in', ip: req.ip, resource: { type: 'session', id: sessionId },
    })
    req.log.info({ brandId, agentId: agent.agentId, sessionId }, 'agent logged in')
    return { token, expiresAt, sessionId, agent: publicAgent(agent) }
  })

  /**
   * Stores the password of a sign-in just verified against a hash with cheaper parameters, hashed
   * with the current ones, only while the stored hash is still the one checked. Never fails or
   * delays the sign-in: when no hashing slot is free or the store fails, the next sign-in tries again.
   */
  async function rehash(agent: AgentRecord, password: string): Promise<void> {
    try {
      const hashed = await hashing.runIfFree(() => hashPassword(password))
      if (!hashed) return
      const replaced = await deps.store.replacePasswordHash(agent.brandId, agent.agentId, agent.passwordHash, hashed.value)
      if (replaced) app.log.info({ brandId: agent.brandId, agentId: agent.agentId }, 'password rehashed with the current parameters')
    } catch (err) {
      app.log.error({ err, brandId: agent.brandId, agentId: agent.agentId }, 'password not rehashed')
    }
  }

  /**
   * A refused sign-in, in the brand's log when the brand exists (an unknown brand has no log): by
   * the account when the e-mail names one, else anonymous. Never fails the answer, which is a
   * refusal whatever the log says; a log that cannot be written is an error someone must see.
   */
  async function auditFailedSignIn(brandId: string, agent: AgentRecord | null, code: string, ip: string): Promise<void> {
    try {
      if (!agent && !(await deps.store.getBrand(brandId))) return
      await audit.record({
        brandId, actor: agent ? { kind: 'agent', id: agent.agentId } : { kind: 'anonymous', id: null },
        action: 'session.sign_in_failed', outcome: 'failed', code, ip, resource: agent ? { type: 'agent', id: agent.agentId } : null,
      })
    } catch (err) {
      app.log.error({ err, brandId }, 'failed sign-in not audited')
    }
  }

  // Who a chat can be handed to: every agent of the caller's brand (colleagues see each other).
  app.get('/v1/agents', {
    schema: { summary: "List the brand's agents by name", response: { 200: AgentList } },
    preHandler: app.authorize('team.read'),
  }, async (req) => {
    const agents = await deps.store.listAgents(req.principal!.brandId, AGENT_LIST_LIMIT)
    return { agents: agents.map((a) => ({ agentId: a.agentId, name: a.name })) }
  })

  app.get('/v1/agents/me', {
    schema: { summary: 'The agent this token belongs to', response: { 200: Agent } },
    preHandler: app.requirePrincipal('agent'),
  }, async (req) => {
    const p = req.principal!
    const agent = p.kind === 'agent' ? await deps.store.getAgent(p.brandId, p.agentId) : null
    if (!agent) throw httpError('PARLEY_ERR_AUTH_TOKEN_INVALID')
    return publicAgent(agent)
  })

  // Colleagues' badges in the console, and the brand's own view of who is on: the chosen status
  // while connected, offline otherwise, with open chats against capacity.
  app.get('/v1/agents/presence', {
    schema: { summary: "Every agent's availability: status, open chats and capacity", response: { 200: AgentPresenceList } },
    preHandler: app.authorize('team.read'),
  }, async (req) => ({ agents: await board.list(req.principal!.brandId) }))

  app.put<{ Body: SetAgentStatus }>('/v1/agent/status', {
    schema: { summary: 'Set your own status: available or away (the console sets away after your idle minutes)', body: SetAgentStatus, response: { 200: AgentPresence } },
    preHandler: app.requirePrincipal('agent'),
  }, async (req) => {
    const p = req.principal!
    if (p.kind !== 'agent') throw httpError('PARLEY_ERR_AUTH_FORBIDDEN', 'set a status')
    const agent = await board.setStatus(p.brandId, p.agentId, req.body)
    if (!agent) throw httpError('PARLEY_ERR_AGENT_NOT_FOUND', p.agentId)
    req.log.info({ brandId: p.brandId, agentId: p.agentId, status: req.body.status, auto: req.body.auto ?? false }, 'agent status set')
    return agent
  })
}
