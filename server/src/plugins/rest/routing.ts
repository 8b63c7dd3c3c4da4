import type { FastifyPluginAsync } from 'fastify'
import type { Deps } from '../../deps.js'

// GET/PUT /v1/routing: the brand's routing settings. Placeholder until the feature lands: registers nothing.

/** GET/PUT /v1/routing: the brand's routing settings. */
export const routingRoutes: FastifyPluginAsync<{ deps: Deps }> = async (_app, _opts) => {}
