import type { FastifyRequest } from 'fastify'
import type { IdentitySettings } from '@parley/sdk/contract'
import type { AuditLog } from '../audit/audit-log.js'
import { actorOf } from '../audit/audit-log.js'
import { httpError } from '../errors.js'
import { checkIdentitySettings } from './identity-settings-check.js'

// What PUT/PATCH /v1/security runs on the `identity` part before saving it: refuse bad keys with a
// typed error (nothing saved), and audit the change as identity.change naming which settings were
// given — key ids and URLs stay out of the entry, and there is never a secret in this document.

/** Vets the identity settings of a save; throws PARLEY_ERR_IDENTITY_KEY_INVALID, or records identity.change. */
export function createIdentityCheck(audit: AuditLog): (req: FastifyRequest, brandId: string, identity: IdentitySettings) => Promise<void> {
  return async (req, brandId, identity) => {
    const problem = await checkIdentitySettings(identity)
    if (problem) throw httpError('PARLEY_ERR_IDENTITY_KEY_INVALID', problem.field, problem.reason)
    if (!req.principal) return
    const which = Object.keys(identity).sort().join(',') || 'none'
    await audit.record({
      brandId, actor: actorOf(req.principal), action: 'identity.change', resource: { type: 'identity-settings', id: null }, ip: req.ip,
      detail: { which, publicKeys: identity.publicKeys?.length ?? 0 },
    })
  }
}
