import type { FastifyPluginAsync } from 'fastify'
import type { Deps } from '../../deps.js'

// /v1/attachments: files sent in chats. Placeholder until the feature lands: registers nothing.

/** /v1/attachments: files sent in chats. */
export const attachmentRoutes: FastifyPluginAsync<{ deps: Deps }> = async (_app, _opts) => {}
