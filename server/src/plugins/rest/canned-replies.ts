import type { FastifyPluginAsync } from 'fastify'
import type { Deps } from '../../deps.js'

// /v1/canned-replies: saved answers, brand-wide and personal. Placeholder until the feature lands: registers nothing.

/** /v1/canned-replies: saved answers, brand-wide and personal. */
export const cannedReplyRoutes: FastifyPluginAsync<{ deps: Deps }> = async (_app, _opts) => {}
