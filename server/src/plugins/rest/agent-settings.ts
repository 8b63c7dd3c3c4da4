import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import { AgentSettings, DEFAULT_AGENT_SETTINGS } from '@parley/sdk/contract'
import type { Deps } from '../../deps.js'
import { httpError } from '../../errors.js'
import type { Principal } from '../auth.js'

// GET/PUT /v1/agent/settings: how the console tells this agent about new chats and messages (sound,
// desktop notifications). The agent's own token only: the settings are theirs, not the brand's.

/** GET/PUT /v1/agent/settings: an agent's notification settings. */
export const agentSettingsRoutes: FastifyPluginAsync<{ deps: Deps }> = async (app, { deps }) => {
  /** The agent of the token, still there: requirePrincipal('agent') refused every other credential (an API key has no settings of its own). */
  const who = async (req: FastifyRequest) => {
    const p = req.principal as Extract<Principal, { kind: 'agent' }>
    const agent = await deps.store.getAgent(p.brandId, p.agentId)
    if (!agent) throw httpError('PARLEY_ERR_AGENT_NOT_FOUND', p.agentId)
    return { brandId: p.brandId, agentId: p.agentId }
  }

  app.get('/v1/agent/settings', {
    schema: { summary: 'Your own notification settings (sound, desktop notifications); the defaults until you change them', response: { 200: AgentSettings } },
    preHandler: app.requirePrincipal('agent'),
  }, async (req) => {
    const { brandId, agentId } = await who(req)
    return (await deps.store.getAgentSettings(brandId, agentId)) ?? DEFAULT_AGENT_SETTINGS
  })

  app.put<{ Body: AgentSettings }>('/v1/agent/settings', {
    schema: { summary: 'Change your own notification settings (both fields, replaced whole)', body: AgentSettings, response: { 200: AgentSettings } },
    preHandler: app.requirePrincipal('agent'),
  }, async (req) => {
    const { brandId, agentId } = await who(req)
    await deps.store.setAgentSettings(brandId, agentId, req.body)
    req.log.info({ brandId, agentId, sound: req.body.sound, desktop: req.body.desktop }, 'agent settings changed')
    return req.body
  })
}
