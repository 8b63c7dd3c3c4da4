import type { FastifyPluginAsync } from 'fastify'
import { BrandInfo, BrandPatch } from '@parley/sdk/contract'
import type { Deps } from '../../deps.js'
import type { Brand, BrandUpdate } from '../../store/store.js'
import { httpError } from '../../errors.js'
import { normalizeOrigin } from '../../admin/brands.js'

// The brand as its admins and API keys see and change it (config.read, config.write). Allowed
// origins are read from the store on every CORS preflight, site-config read and WebSocket upgrade,
// so a change applies at once.

function toWire(b: Brand): BrandInfo {
  return { brandId: b.brandId, name: b.name, siteKey: b.siteKey, allowedOrigins: b.allowedOrigins, createdAt: b.createdAt }
}

/** The patch in the form `parley brand create` stores: a trimmed name, exact deduplicated origins. */
function canonicalPatch(patch: BrandPatch): BrandUpdate {
  const update: BrandUpdate = {}
  if (patch.name !== undefined) {
    const name = patch.name.trim()
    if (name.length === 0) throw httpError('PARLEY_ERR_REQUEST_INVALID', 'body/name must not be blank')
    update.name = name
  }
  if (patch.allowedOrigins !== undefined) {
    const origins: string[] = []
    patch.allowedOrigins.forEach((o, i) => {
      const n = normalizeOrigin(o)
      if (!n.ok) throw httpError('PARLEY_ERR_REQUEST_INVALID', `body/allowedOrigins/${i}: ${n.reason.slice(0, 300)}`)
      if (!origins.includes(n.origin)) origins.push(n.origin)
    })
    update.allowedOrigins = origins
  }
  return update
}

/** GET and PATCH /v1/brand. */
export const brandRoutes: FastifyPluginAsync<{ deps: Deps }> = async (app, { deps }) => {
  app.get('/v1/brand', {
    schema: { summary: 'Read the brand: name, site key and allowed origins', response: { 200: BrandInfo } },
    preHandler: app.authorize('config.read'),
  }, async (req) => {
    const brand = await deps.store.getBrand(req.principal!.brandId)
    // The credential was just found with its brand; gone now means the brand went between the two reads.
    if (!brand) throw httpError('PARLEY_ERR_AUTH_TOKEN_INVALID')
    return toWire(brand)
  })

  // Each field named replaces the stored one whole (origins included), in one transaction, so two
  // patches at once never mix; there is nothing to merge, so no read-modify-write to serialise.
  app.patch<{ Body: BrandPatch }>('/v1/brand', {
    schema: { summary: 'Rename the brand or replace its allowed origins', body: BrandPatch, response: { 200: BrandInfo } },
    preHandler: app.authorize('config.write'),
  }, async (req) => {
    const brandId = req.principal!.brandId
    const update = canonicalPatch(req.body)
    const brand = await deps.store.updateBrand(brandId, update)
    if (!brand) throw httpError('PARLEY_ERR_AUTH_TOKEN_INVALID')
    await app.audit.recordRequest(req, {
      action: 'config.change', resource: { type: 'config', id: 'brand' },
      detail: { document: 'brand', how: 'patch', fields: Object.keys(update).sort().join(',') },
    })
    req.log.info({ brandId, renamed: update.name !== undefined, origins: update.allowedOrigins?.length }, 'brand updated')
    return toWire(brand)
  })
}
