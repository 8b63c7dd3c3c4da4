import type { FastifyPluginAsync } from 'fastify'
import type { Deps } from '../../deps.js'

// GET /v1/supervisor: the brand's floor right now. Placeholder until the feature lands: registers nothing.

/** GET /v1/supervisor: the brand's floor right now. */
export const supervisorRoutes: FastifyPluginAsync<{ deps: Deps }> = async (_app, _opts) => {}
