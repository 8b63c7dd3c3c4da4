import { createHash } from 'node:crypto'
import type { FastifyPluginAsync } from 'fastify'
import { PublicSiteConfig, SiteParams, WidgetConfig, publicSiteConfig } from '@parley/sdk/contract'
import type { Deps } from '../../deps.js'
import { httpError } from '../../errors.js'
import { originAllowed } from '../../admin/brands.js'

// The brand's public widget configuration: read by every page the widget runs on (public,
// cacheable, readable from any origin: it holds nothing secret, but a browser page on an origin the
// brand doesn't allow gets PARLEY_ERR_TENANT_ORIGIN), written with the brand's API key.

const CACHE = 'public, max-age=60, stale-while-revalidate=600'

/** GET /v1/sites/:siteKey/config and PUT /v1/widget-config. */
export const siteConfigRoutes: FastifyPluginAsync<{ deps: Deps }> = async (app, { deps }) => {
  app.get<{ Params: SiteParams }>('/v1/sites/:siteKey/config', {
    schema: { params: SiteParams, response: { 200: PublicSiteConfig } },
  }, async (req, reply) => {
    void reply.header('access-control-allow-origin', '*').header('vary', 'Origin, Accept-Encoding')
    const brand = await deps.store.getBrandBySiteKey(req.params.siteKey)
    if (!brand) throw httpError('PARLEY_ERR_TENANT_SITE_KEY')
    // A page on an origin the brand doesn't allow learns it here, with a typed error, before it
    // draws a widget whose socket the relay would refuse. (The config itself is not secret.)
    const origin = req.headers.origin
    if (!originAllowed(brand, origin)) throw httpError('PARLEY_ERR_TENANT_ORIGIN', origin!.slice(0, 200))
    const body = publicSiteConfig(brand.siteKey, brand.name, await deps.store.getWidgetConfig(brand.brandId))
    const etag = `"${createHash('sha256').update(JSON.stringify(body)).digest('base64url').slice(0, 27)}"`
    void reply.header('cache-control', CACHE).header('etag', etag)
    if (req.headers['if-none-match'] === etag) return reply.code(304).send()
    return body
  })

  app.put<{ Body: WidgetConfig }>('/v1/widget-config', {
    schema: { body: WidgetConfig, response: { 200: WidgetConfig } },
    preHandler: app.requirePrincipal('brand'),
  }, async (req) => {
    const brandId = req.principal!.brandId
    await deps.store.setWidgetConfig(brandId, req.body)
    req.log.info({ brandId }, 'widget config updated')
    return req.body
  })
}
