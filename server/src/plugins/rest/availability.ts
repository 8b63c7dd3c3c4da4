import type { FastifyPluginAsync } from 'fastify'
import { Availability, SiteParams, type Limits } from '@parley/sdk/contract'
import type { Deps } from '../../deps.js'
import { siteBrand } from './site-brand.js'
import type { PublicAvailability } from '../../agents/public-availability.js'
import type { CountryLookup } from '../../geo/country.js'
import { retryAfter } from './rate-limits.js'
import { addressKey } from '../../address-key.js'

// The brand's public availability: what every widget polls while its page is visible, to decide
// between the chat button and the offline form. Public like the site config (origin checked, CORS
// `*`), never cached by browsers or proxies, and cheap: the brand-wide counts are computed at most
// once a second (public-availability.ts); only the visitor's country is per request.

/** GET /v1/sites/:siteKey/availability. */
export const availabilityRoutes: FastifyPluginAsync<{ deps: Deps; limits: Limits; availability: PublicAvailability; country: CountryLookup }> = async (
  app, { deps, limits, availability, country },
) => {
  // Its own per-address limit, not the shared REST one (rate-limits.ts OWN_LIMIT_ROUTES).
  const perAddress = app.createRateLimit({
    max: limits.availabilityRequestsPerMinute,
    timeWindow: 60_000,
    keyGenerator: (req) => `availability\n${addressKey(req.ip)}`,
  })

  app.get<{ Params: SiteParams }>('/v1/sites/:siteKey/availability', {
    schema: { summary: "The brand's availability now: agents free, queue length, business hours; polled by the widget", params: SiteParams, response: { 200: Availability } },
    onRequest: async (req, reply) => {
      void reply.header('access-control-allow-origin', '*').header('cache-control', 'no-store')
      const r = await perAddress(req)
      if (!r.isAllowed && r.isExceeded) {
        req.log.warn({ ip: req.ip }, 'availability rate limit reached')
        throw retryAfter(reply, limits.availabilityRequestsPerMinute / 60, r.ttl)
      }
    },
  }, async (req, reply) => {
    const brand = await siteBrand(deps.store, req.params.siteKey, req, reply)
    const counts = await availability.get(brand.brandId)
    const c = country(req.headers, req.ip)
    return { ...counts, ...(c ? { country: c } : {}), pollMs: limits.availabilityPollMs }
  })
}
