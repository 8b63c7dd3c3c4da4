import type { FastifyPluginAsync } from 'fastify'
import type { Deps } from '../../deps.js'

// GET /v1/conversations/:convId/notes: a conversation's internal notes. Placeholder until the feature lands: registers nothing.

/** GET /v1/conversations/:convId/notes: a conversation's internal notes. */
export const noteRoutes: FastifyPluginAsync<{ deps: Deps }> = async (_app, _opts) => {}
