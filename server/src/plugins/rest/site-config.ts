import { createHash } from 'node:crypto'
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import { Ajv } from 'ajv'
import { MergePatch, PublicSiteConfig, SiteParams, WidgetConfig, publicSiteConfig, type Limits } from '@parley/sdk/contract'
import type { Deps } from '../../deps.js'
import { httpError } from '../../errors.js'
import { originAllowed } from '../../admin/brands.js'
import { mergePatch } from '../../admin/merge-patch.js'
import { canonicalTextsPatch, canonicalWidgetConfig } from '../../admin/widget-config.js'

// The brand's public widget configuration: read by every page the widget runs on (public,
// cacheable, readable from any origin: it holds nothing secret, but a browser page on an origin the
// brand doesn't allow gets PARLEY_ERR_TENANT_ORIGIN), read and written with the brand's API key.

/**
 * Cache-Control of the public config. The browser's HTTP cache is the only copy the widget keeps
 * (no loader or storage copy), so `max-age` alone bounds how long a page may still show an old
 * config. No stale-while-revalidate: it let a returning visitor see the old config for max-age +
 * the revalidation window. After max-age the browser revalidates with the ETag (a 304 when unchanged).
 */
export function siteConfigCacheControl(limits: Pick<Limits, 'siteConfigMaxAgeSeconds'>): string {
  return `public, max-age=${limits.siteConfigMaxAgeSeconds}`
}

const MERGE_PATCH = 'application/merge-patch+json'

/** GET /v1/sites/:siteKey/config; GET, PUT and PATCH /v1/widget-config. */
export const siteConfigRoutes: FastifyPluginAsync<{ deps: Deps; limits: Limits }> = async (app, { deps, limits }) => {
  const cacheControl = siteConfigCacheControl(limits)
  // PATCH validates the merged document with the same schema and the same messages as a PUT body.
  const validate = new Ajv({ removeAdditional: false, useDefaults: false, coerceTypes: false, allErrors: false }).compile<WidgetConfig>(WidgetConfig)
  // A PATCH reads, merges and writes; two at once for one brand must not lose either's change, and
  // a PUT waits its turn too, or a PATCH that read before it wrote would put the old fields back.
  const writing = new Map<string, Promise<unknown>>()
  function oneAtATime<T>(brandId: string, job: () => Promise<T>): Promise<T> {
    const run = (writing.get(brandId) ?? Promise.resolve()).then(job, job)
    const done = run.catch(() => {})
    writing.set(brandId, done)
    void done.then(() => { if (writing.get(brandId) === done) writing.delete(brandId) })
    return run
  }

  async function store(req: FastifyRequest, brandId: string, config: WidgetConfig): Promise<WidgetConfig> {
    const checked = canonicalWidgetConfig(config)
    if (!checked.ok) throw httpError('PARLEY_ERR_REQUEST_INVALID', `body/${checked.problem}`)
    await deps.store.setWidgetConfig(brandId, checked.config)
    req.log.info({ brandId }, 'widget config updated')
    return checked.config
  }

  app.get<{ Params: SiteParams }>('/v1/sites/:siteKey/config', {
    schema: { summary: "The brand's public widget configuration, read by the widget", params: SiteParams, response: { 200: PublicSiteConfig } },
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
    void reply.header('cache-control', cacheControl).header('etag', etag)
    if (req.headers['if-none-match'] === etag) return reply.code(304).send()
    return body
  })

  app.get('/v1/widget-config', {
    schema: { summary: 'Read the widget configuration', response: { 200: WidgetConfig } },
    preHandler: app.requirePrincipal('brand'),
  }, async (req) => deps.store.getWidgetConfig(req.principal!.brandId))

  // Replaces the whole document: a field left out goes back to its default.
  app.put<{ Body: WidgetConfig }>('/v1/widget-config', {
    schema: { summary: 'Replace the widget configuration whole', body: WidgetConfig, response: { 200: WidgetConfig } },
    preHandler: app.requirePrincipal('brand'),
  }, async (req) => {
    if (String(req.headers['content-type'] ?? '').startsWith(MERGE_PATCH)) {
      throw httpError('PARLEY_ERR_REQUEST_INVALID', `PUT replaces the whole config; send ${MERGE_PATCH} with PATCH`)
    }
    const brandId = req.principal!.brandId
    return oneAtATime(brandId, () => store(req, brandId, req.body))
  })

  // Changes only what the patch names (RFC 7396: null removes a field). The merged document is
  // validated as a PUT body would be; an invalid result changes nothing.
  app.patch<{ Body: MergePatch }>('/v1/widget-config', {
    schema: { summary: 'Change fields of the widget configuration (JSON Merge Patch)', body: MergePatch, response: { 200: WidgetConfig } },
    preHandler: app.requirePrincipal('brand'),
  }, async (req) => {
    const brandId = req.principal!.brandId
    return oneAtATime(brandId, async () => {
      const merged = mergePatch(await deps.store.getWidgetConfig(brandId), canonicalTextsPatch(req.body))
      if (!validate(merged)) {
        const e = validate.errors?.[0]
        const extra = (e?.params as { additionalProperty?: string } | undefined)?.additionalProperty
        throw httpError('PARLEY_ERR_REQUEST_INVALID', `body${e?.instancePath ?? ''} ${e?.message ?? 'is invalid'}${extra ? ` ('${extra}')` : ''}`)
      }
      return store(req, brandId, merged)
    })
  })
}
