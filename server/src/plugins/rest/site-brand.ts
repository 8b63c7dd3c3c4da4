import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Brand, Store } from '../../store/store.js'
import { httpError } from '../../errors.js'
import { originAllowed } from '../../admin/brands.js'

// The brand behind a public site route (/v1/sites/:siteKey/…), which any page may call: readable
// from any origin (nothing secret crosses), but a browser page on an origin the brand doesn't allow
// gets PARLEY_ERR_TENANT_ORIGIN before anything is read or written.

/** The brand of `siteKey`, after the Origin check; sets the public CORS headers on `reply`. */
export async function siteBrand(store: Store, siteKey: string, req: FastifyRequest, reply: FastifyReply): Promise<Brand> {
  void reply.header('access-control-allow-origin', '*').header('vary', 'Origin')
  const brand = await store.getBrandBySiteKey(siteKey)
  if (!brand) throw httpError('PARLEY_ERR_TENANT_SITE_KEY')
  const origin = req.headers.origin
  if (!originAllowed(brand, origin)) throw httpError('PARLEY_ERR_TENANT_ORIGIN', origin!.slice(0, 200))
  return brand
}
