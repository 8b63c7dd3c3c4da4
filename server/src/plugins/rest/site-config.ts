import { createHash } from 'node:crypto'
import type { FastifyPluginAsync } from 'fastify'
import { PublicSiteConfig, SiteParams, WidgetConfig, publicSiteConfig, type Limits } from '@parley/sdk/contract'
import type { Deps } from '../../deps.js'
import { httpError } from '../../errors.js'
import { canonicalTextsPatch, canonicalWidgetConfig } from '../../admin/widget-config.js'
import { configDocumentRoutes } from './config-document.js'
import { siteBrand } from './site-brand.js'
import { surveysInUse } from '../../surveys/surveys-in-use.js'
import type { TrackingSettings } from '../../data-rights/tracking-settings.js'

// The brand's public widget configuration: read by every page the widget runs on (public,
// cacheable, readable from any origin: it holds nothing secret, but a browser page on an origin the
// brand doesn't allow gets PARLEY_ERR_TENANT_ORIGIN); its /v1/widget-config document is config.read
// and config.write (admins, keys with those scopes).

/**
 * Cache-Control of the public config. The browser's HTTP cache is the only copy the widget keeps
 * (no loader or storage copy), so `max-age` alone bounds how long a page may still show an old
 * config. No stale-while-revalidate: it let a returning visitor see the old config for max-age +
 * the revalidation window. After max-age the browser revalidates with the ETag (a 304 when unchanged).
 */
export function siteConfigCacheControl(limits: Pick<Limits, 'siteConfigMaxAgeSeconds'>): string {
  return `public, max-age=${limits.siteConfigMaxAgeSeconds}`
}

/** GET /v1/sites/:siteKey/config; GET, PUT and PATCH /v1/widget-config. */
export const siteConfigRoutes: FastifyPluginAsync<{ deps: Deps; limits: Limits; tracking: Pick<TrackingSettings, 'saved'> }> = async (app, { deps, limits, tracking }) => {
  const cacheControl = siteConfigCacheControl(limits)

  app.get<{ Params: SiteParams }>('/v1/sites/:siteKey/config', {
    schema: { summary: "The brand's public widget configuration, read by the widget", params: SiteParams, response: { 200: PublicSiteConfig } },
  }, async (req, reply) => {
    // A page on an origin the brand doesn't allow learns it here, with a typed error, before it
    // draws a widget whose socket the relay would refuse. (The config itself is not secret.)
    const brand = await siteBrand(deps.store, req.params.siteKey, req, reply)
    void reply.header('vary', 'Origin, Accept-Encoding')
    // The masking configuration travels with it, so the widget masks before a message leaves the
    // page; it is part of the body, so the ETag changes when it does.
    const [widget, masking, rules, businessHours, surveys] = await Promise.all([
      deps.store.getWidgetConfig(brand.brandId), deps.store.getMaskingConfig(brand.brandId),
      deps.store.getRulesConfig(brand.brandId), deps.store.getBusinessHours(brand.brandId),
      deps.store.getSurveysConfig(brand.brandId),
    ])
    // Only the surveys a widget may show (with their versions, which answers name); drafts stay private.
    const body = publicSiteConfig(brand.siteKey, brand.name, widget, {
      ...(masking ? { masking } : {}), ...(rules ? { rules: rules.rules } : {}), ...(businessHours ? { businessHours } : {}),
      ...(surveys ? { surveys: surveysInUse(surveys, rules?.rules ?? []) } : {}),
    })
    const etag = `"${createHash('sha256').update(JSON.stringify(body)).digest('base64url').slice(0, 27)}"`
    void reply.header('cache-control', cacheControl).header('etag', etag)
    if (req.headers['if-none-match'] === etag) return reply.code(304).send()
    return body
  })

  configDocumentRoutes<WidgetConfig>(app, deps, {
    url: '/v1/widget-config',
    name: 'the widget configuration',
    schema: WidgetConfig,
    read: (brandId) => deps.store.getWidgetConfig(brandId),
    async save(req, brandId, config) {
      const checked = canonicalWidgetConfig(config)
      if (!checked.ok) throw httpError('PARLEY_ERR_REQUEST_INVALID', `body/${checked.problem}`)
      await deps.store.setWidgetConfig(brandId, checked.config)
      tracking.saved(brandId)
      req.log.info({ brandId }, 'widget config updated')
      return checked.config
    },
    preparePatch: canonicalTextsPatch,
  })
}
