import type { FastifyPluginAsync } from 'fastify'
import { RoutingConfig } from '@parley/sdk/contract'
import type { Deps } from '../../deps.js'
import type { Router } from '../../routing/router.js'
import { configDocumentRoutes } from './config-document.js'

// GET/PUT/PATCH /v1/routing: the brand's routing settings, a configuration document like rules and
// surveys: admins and keys with config:write write it (idempotent with Idempotency-Key, rate limited like every
// route), its agents may read it (team.read: the console shows the mode and the offer countdown). Every field
// has a default, so `{}` is manual routing. A save wakes the router: turning automatic offers the
// waiting chats at once, turning manual withdraws every pending offer.

/** GET, PUT and PATCH /v1/routing. */
export const routingRoutes: FastifyPluginAsync<{ deps: Deps; router: Router }> = async (app, { deps, router }) => {
  configDocumentRoutes<RoutingConfig>(app, deps, {
    url: '/v1/routing',
    name: 'the routing settings',
    schema: RoutingConfig,
    readAction: 'team.read',
    read: async (brandId) => (await deps.store.getRoutingConfig(brandId)) ?? {},
    async save(req, brandId, doc) {
      await deps.store.setRoutingConfig(brandId, doc)
      req.log.info({ brandId, mode: doc.mode ?? 'manual', offerTimeoutSec: doc.offerTimeoutSec, inactivityCloseMin: doc.inactivityCloseMin }, 'routing settings updated')
      router.wake(brandId)
      return doc
    },
  })
}
