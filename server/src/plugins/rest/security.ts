import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import { SecurityConfig, type IdentitySettings } from '@parley/sdk/contract'
import type { Deps } from '../../deps.js'
import type { SecuritySettings } from '../../auth/security-settings.js'
import { configDocumentRoutes } from './config-document.js'

// GET/PUT/PATCH /v1/security: the brand's security settings (how much of a client's address the
// audit log and session lists keep, how long the audit log is kept, whether plain agents see a
// verified customer's history, how identity tokens are verified), a configuration document like the
// others: config.read reads it, config.write changes it, and each change is one config.change entry.
// Every field has a default, so `{}` is the default settings. A save is felt at once on every node:
// the cached copies are dropped (security-settings.ts).

/** Checks the `identity` part before it is stored (throws a coded error to change nothing). */
export type IdentityCheck = (req: FastifyRequest, brandId: string, identity: IdentitySettings) => Promise<void>

/** GET, PUT and PATCH /v1/security; `checkIdentity` vets the identity keys (the identity module's). */
export const securityRoutes: FastifyPluginAsync<{ deps: Deps; security: SecuritySettings; checkIdentity?: IdentityCheck }> = async (app, { deps, security, checkIdentity }) => {
  configDocumentRoutes<SecurityConfig>(app, deps, {
    url: '/v1/security',
    name: 'the security settings',
    schema: SecurityConfig,
    read: async (brandId) => (await deps.store.getSecurityConfig(brandId)) ?? {},
    async save(req, brandId, config) {
      if (config.identity && checkIdentity) await checkIdentity(req, brandId, config.identity)
      await deps.store.setSecurityConfig(brandId, config)
      security.saved(brandId)
      req.log.info({
        brandId, addresses: config.addresses ?? 'truncated', auditRetentionDays: config.auditRetentionDays ?? null,
        agentsSeeCustomerHistory: config.agentsSeeCustomerHistory ?? false, identity: config.identity !== undefined,
      }, 'security settings updated')
      return config
    },
  })
}
