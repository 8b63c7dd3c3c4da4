import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Action } from '@parley/sdk/contract'
import { kAction, type Principal } from '../auth.js'

// A route whose answer depends on the resource (or that a visitor may call too) resolves the
// credential in its preHandler and asks the policy in the handler (app.checkAccess), once it has read
// the facts. The hook still names the action(s) it will ask about, so the OpenAPI document says
// which scope a key needs for it, as it does for an authorize hook.

/** requirePrincipal(...kinds), marked with the action(s) its handler asks the policy about. */
export function requirePrincipalFor(app: FastifyInstance, actions: Action | readonly Action[], ...kinds: Principal['kind'][]): (req: FastifyRequest, reply: FastifyReply) => Promise<void> {
  return Object.assign(app.requirePrincipal(...kinds), { [kAction]: actions })
}
