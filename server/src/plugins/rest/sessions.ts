import type { FastifyPluginAsync } from 'fastify'
import { Type } from '@sinclair/typebox'
import { SessionList, SessionParams, SessionQuery, type SessionInfo } from '@parley/sdk/contract'
import type { Deps } from '../../deps.js'
import type { SessionRecord } from '../../store/store.js'
import { actorOf, type AuditLog } from '../../audit/audit-log.js'
import { httpError } from '../../errors.js'
import { endSessions } from '../../auth/session-revocation.js'

/** A session as the API lists it, `current` set for the caller's own. */
function sessionInfo(s: SessionRecord, currentId: string | null): SessionInfo {
  return {
    sessionId: s.sessionId, agentId: s.agentId, createdAt: s.createdAt, lastSeenAt: s.lastSeenAt, expiresAt: s.expiresAt,
    revokedAt: s.revokedAt, address: s.address, userAgent: s.userAgent, current: s.sessionId === currentId,
  }
}

/**
 * Agent sessions: signing out, one's own working sessions, and an admin's list and revocation
 * (accounts.manage). A revoked session is refused by the next request on any node (the auth plugin
 * reads the store), and the `sessions-revoked` node event closes its live connections everywhere.
 */
export const sessionRoutes: FastifyPluginAsync<{ deps: Deps; audit: AuditLog }> = async (app, { deps, audit }) => {
  const { store, clock, bus } = deps

  app.delete('/v1/agent/sessions/current', {
    schema: { summary: 'Sign out: this session stops working at once, over REST and live, on every node', response: { 204: Type.Null({ description: 'Signed out' }) } },
    preHandler: app.requirePrincipal('agent'),
  }, async (req, reply) => {
    const p = req.principal!
    if (p.kind !== 'agent') throw httpError('PARLEY_ERR_AUTH_FORBIDDEN', 'sign out')
    await store.revokeSession(p.brandId, p.sessionId, clock.now())
    endSessions(bus, p.brandId, [p.sessionId])
    await audit.record({ brandId: p.brandId, actor: actorOf(p), action: 'session.sign_out', ip: req.ip, resource: { type: 'session', id: p.sessionId } })
    req.log.info({ brandId: p.brandId, agentId: p.agentId, sessionId: p.sessionId }, 'agent signed out')
    return reply.code(204).send()
  })

  app.get('/v1/agent/sessions', {
    schema: { summary: 'Your own working sessions, newest first (the one making this request is `current`)', response: { 200: SessionList } },
    preHandler: app.requirePrincipal('agent'),
  }, async (req) => {
    const p = req.principal!
    if (p.kind !== 'agent') throw httpError('PARLEY_ERR_AUTH_FORBIDDEN', 'list your sessions')
    const sessions = await store.listSessions(p.brandId, { agentId: p.agentId, activeAt: clock.now() })
    return { sessions: sessions.map((s) => sessionInfo(s, p.sessionId)) }
  })

  app.get<{ Querystring: SessionQuery }>('/v1/sessions', {
    schema: { summary: "The brand's working agent sessions, newest first; one agent's with ?agentId", querystring: SessionQuery, response: { 200: SessionList } },
    preHandler: app.authorize('accounts.manage'),
  }, async (req) => {
    const p = req.principal!
    const sessions = await store.listSessions(p.brandId, { ...(req.query.agentId ? { agentId: req.query.agentId } : {}), activeAt: clock.now() })
    return { sessions: sessions.map((s) => sessionInfo(s, p.kind === 'agent' ? p.sessionId : null)) }
  })

  app.delete<{ Params: SessionParams }>('/v1/sessions/:sessionId', {
    schema: { summary: "Revoke an agent's session: refused at once, over REST and live, on every node", params: SessionParams, response: { 204: Type.Null({ description: 'Revoked' }) } },
    preHandler: app.authorize('accounts.manage'),
  }, async (req, reply) => {
    const p = req.principal!
    const session = await store.revokeSession(p.brandId, req.params.sessionId, clock.now())
    if (!session) throw httpError('PARLEY_ERR_SESSION_NOT_FOUND', req.params.sessionId)
    endSessions(bus, p.brandId, [session.sessionId])
    await audit.record({
      brandId: p.brandId, actor: actorOf(p), action: 'session.revoke', ip: req.ip,
      resource: { type: 'session', id: session.sessionId }, detail: { agentId: session.agentId },
    })
    req.log.info({ brandId: p.brandId, sessionId: session.sessionId, agentId: session.agentId }, 'agent session revoked')
    return reply.code(204).send()
  })
}
