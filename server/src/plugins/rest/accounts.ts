import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import { AccountList, Agent, AgentParams, AgentPatch, CreateAgent, type Role } from '@parley/sdk/contract'
import type { Deps } from '../../deps.js'
import type { StatusBoard } from '../../agents/status-board.js'
import { createAgent, publicAgent } from '../../admin/agents.js'
import { actorOf, type AuditLog } from '../../audit/audit-log.js'
import type { AgentRecord } from '../../store/store.js'
import type { Principal } from '../../auth/policy.js'
import { httpError } from '../../errors.js'
import { scopesBeyond, scopesOfRole } from '../../admin/api-keys.js'
import { endSessions } from '../../auth/session-revocation.js'

const ACCOUNT_LIST_LIMIT = 1000

/**
 * Agent accounts (action accounts.manage): create them with a role, list them in full, rename them,
 * change capacity, skills, role, and deactivate or bring them back. Deactivating ends the account's
 * sessions in the same store transaction, and its live connections on every node.
 */
export const accountRoutes: FastifyPluginAsync<{ deps: Deps; board: StatusBoard; audit: AuditLog }> = async (app, { deps, board, audit }) => {
  const { store, clock, bus } = deps

  // A key with agents:write could otherwise create (or promote) an admin, sign in as them and mint a
  // key with every scope: a key may give an account only a role whose powers it holds itself.
  const refuseRoleBeyond = async (req: FastifyRequest, role: Role, agentId: string | null) => {
    const p = req.principal!
    if (p.kind !== 'brand') return
    const beyond = scopesBeyond(scopesOfRole(role), p.scopes)
    if (beyond.length > 0) {
      await app.refuse(req, 'accounts.manage', { code: 'PARLEY_ERR_AUTH_SCOPE', args: [beyond.join(', ')], resource: { type: 'agent', id: agentId } })
    }
  }

  app.post<{ Body: CreateAgent }>('/v1/agents', {
    schema: { summary: 'Create an agent account (role `agent` unless given)', body: CreateAgent, response: { 201: Agent } },
    preHandler: app.authorize('accounts.manage'),
  }, async (req, reply) => {
    const p = req.principal!
    const brandId = p.brandId
    if (req.body.name.trim() === '') throw httpError('PARLEY_ERR_REQUEST_INVALID', 'body/name must not be blank')
    await refuseRoleBeyond(req, req.body.role ?? 'agent', null)
    const agent = await createAgent(deps, { brandId, ...req.body })
    if (!agent) throw httpError('PARLEY_ERR_TENANT_EXISTS', 'agent', 'e-mail')
    await audit.record({ brandId, actor: actorOf(p), action: 'account.create', ip: req.ip, resource: { type: 'agent', id: agent.agentId }, detail: { role: agent.role } })
    req.log.info({ brandId, agentId: agent.agentId, role: agent.role }, 'agent created')
    return reply.code(201).send(publicAgent(agent))
  })

  // The admin page's accounts: what the colleague list leaves out (e-mail, role, whether active).
  app.get('/v1/accounts', {
    schema: { summary: "List the brand's agent accounts in full: e-mail, role, active, capacity, skills", response: { 200: AccountList } },
    preHandler: app.authorize('accounts.manage'),
  }, async (req) => ({ accounts: (await store.listAgents(req.principal!.brandId, ACCOUNT_LIST_LIMIT)).map(publicAgent) }))

  app.patch<{ Params: AgentParams; Body: AgentPatch }>('/v1/agents/:agentId', {
    schema: {
      summary: "Rename an agent, change their chat capacity, replace their skills (teams), change their role, or deactivate (active: false) or reactivate the account",
      params: AgentParams, body: AgentPatch, response: { 200: Agent },
    },
    preHandler: app.authorize('accounts.manage'),
  }, async (req) => {
    const p = req.principal!
    const brandId = p.brandId
    const { agentId } = req.params
    const name = req.body.name?.trim()
    if (name === '') throw httpError('PARLEY_ERR_REQUEST_INVALID', 'body/name must not be blank')
    const { capacity, skills, role, active } = req.body
    const before = await store.getAgent(brandId, agentId)
    if (!before) throw httpError('PARLEY_ERR_AGENT_NOT_FOUND', agentId)
    if (role !== undefined) await refuseRoleBeyond(req, role, agentId)
    let agent: AgentRecord = before
    // Access first: a refusal (the last admin) must leave the rest of the patch unapplied too.
    if (role !== undefined || active !== undefined) {
      const changed = await store.setAgentAccess(brandId, agentId, { ...(role !== undefined ? { role } : {}), ...(active !== undefined ? { active } : {}) }, clock.now())
      if (!changed.ok) {
        if (changed.code === 'PARLEY_ERR_AGENT_NOT_FOUND') throw httpError(changed.code, agentId)
        // Removing the last admin is a refused account change: the log shows who tried.
        return app.refuse(req, 'accounts.manage', { code: changed.code, resource: { type: 'agent', id: agentId } })
      }
      agent = changed.agent
      // The store refuses the sessions already; this closes their live connections on every node.
      // Deactivated: its consoles are told so, not just "signed out".
      endSessions(bus, brandId, changed.revokedSessions, active === false ? 'PARLEY_ERR_AUTH_ACCOUNT_INACTIVE' : undefined)
    }
    if (name !== undefined || capacity !== undefined || skills !== undefined) {
      const updated = await store.updateAgent(brandId, agentId, {
        ...(name !== undefined ? { name } : {}), ...(capacity !== undefined ? { capacity } : {}), ...(skills !== undefined ? { skills } : {}),
      })
      if (!updated) throw httpError('PARLEY_ERR_AGENT_NOT_FOUND', agentId)
      agent = updated
    }
    await auditPatch(req.ip, p, before, agent, req.body)
    req.log.info({ brandId, agentId, renamed: name !== undefined, capacity, skills: skills?.length, role: agent.role, active: agent.active }, 'agent updated')
    await board.announce(brandId, agentId)
    return publicAgent(agent)
  })

  /** One entry for what changed besides activity (field names, and the role, never other values), one for a (de)activation. */
  async function auditPatch(ip: string, p: Principal, before: AgentRecord, after: AgentRecord, patch: AgentPatch): Promise<void> {
    const base = { brandId: p.brandId, actor: actorOf(p), ip, resource: { type: 'agent', id: after.agentId } }
    const fields = (['name', 'capacity', 'skills', 'role'] as const).filter((f) => patch[f] !== undefined)
    if (fields.length > 0) {
      await audit.record({
        ...base, action: 'account.change',
        detail: { fields: fields.join(','), ...(patch.role !== undefined ? { role: after.role, previousRole: before.role } : {}) },
      })
    }
    if (before.active !== after.active) await audit.record({ ...base, action: after.active ? 'account.reactivate' : 'account.deactivate' })
  }
}
