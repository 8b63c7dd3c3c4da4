import type { FastifyPluginAsync } from 'fastify'
import type { Deps } from '../../deps.js'

// GET/PUT /v1/agent/settings: an agent's notification settings. Placeholder until the feature lands: registers nothing.

/** GET/PUT /v1/agent/settings: an agent's notification settings. */
export const agentSettingsRoutes: FastifyPluginAsync<{ deps: Deps }> = async (_app, _opts) => {}
