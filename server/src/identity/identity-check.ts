import type { FastifyRequest } from 'fastify'
import type { IdentitySettings } from '@parley/sdk/contract'
import { httpError } from '../errors.js'
import { checkIdentitySettings } from './identity-settings-check.js'

// What PUT/PATCH /v1/security runs on the `identity` part before saving it: refuse bad keys with a
// typed error, so nothing is saved. The save itself is audited once, by the configuration document
// route, as config.change naming the fields sent (`identity` among them); a second entry here would
// make one save two actions in the log. Key ids and URLs stay out of the log either way.

/** Vets the identity settings of a save; throws PARLEY_ERR_IDENTITY_KEY_INVALID naming the field. */
export function createIdentityCheck(opts: { allowPrivateKeyUrls?: boolean } = {}): (req: FastifyRequest, brandId: string, identity: IdentitySettings) => Promise<void> {
  return async (_req, _brandId, identity) => {
    const problem = await checkIdentitySettings(identity, opts.allowPrivateKeyUrls ?? false)
    if (problem) throw httpError('PARLEY_ERR_IDENTITY_KEY_INVALID', problem.field, problem.reason)
  }
}
