import fp from 'fastify-plugin'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { TokenSigner } from '../auth/tokens.js'
import { hashApiKey, isApiKey } from '../auth/api-keys.js'
import type { Store } from '../store/store.js'
import { httpError } from '../errors.js'

/** Who a REST request speaks for, from its `Authorization: Bearer` credential. */
export type Principal =
  | { kind: 'brand'; brandId: string }
  | { kind: 'agent'; brandId: string; agentId: string }
  | { kind: 'visitor'; brandId: string; visitorId: string }

/** Set on each requirePrincipal hook: the credentials it accepts (the OpenAPI document lists them). */
export const kPrincipalKinds = Symbol('parley.principalKinds')

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null
  }
  interface FastifyInstance {
    /** preHandler that requires one of `kinds` and sets `request.principal`. */
    requirePrincipal(...kinds: Principal['kind'][]): (req: FastifyRequest, reply: FastifyReply) => Promise<void>
  }
}

/** Resolves bearer credentials: brand API keys (hashed lookup) and signed agent/visitor tokens. */
export const authPlugin = fp<{ store: Store; signer: TokenSigner }>(async (app, { store, signer }) => {
  app.decorateRequest('principal', null)

  async function resolve(req: FastifyRequest): Promise<Principal> {
    const header = req.headers.authorization
    const m = typeof header === 'string' ? /^Bearer ([\x21-\x7e]{1,4096})$/.exec(header) : null
    if (!m) throw httpError('PARLEY_ERR_AUTH_REQUIRED')
    const credential = m[1]!
    if (isApiKey(credential)) {
      const brand = await store.getBrandByApiKeyHash(hashApiKey(credential))
      if (!brand) throw httpError('PARLEY_ERR_AUTH_TOKEN_INVALID')
      return { kind: 'brand', brandId: brand.brandId }
    }
    const v = signer.verify(credential)
    if (!v.ok) throw httpError(v.code)
    const c = v.claims
    if (c.kind === 'agent') {
      if (!(await store.getAgent(c.brand, c.sub))) throw httpError('PARLEY_ERR_AUTH_TOKEN_INVALID')
      return { kind: 'agent', brandId: c.brand, agentId: c.sub }
    }
    return { kind: 'visitor', brandId: c.brand, visitorId: c.sub }
  }

  app.decorate('requirePrincipal', (...kinds: Principal['kind'][]) => Object.assign(async (req: FastifyRequest) => {
    const p = await resolve(req)
    if (!kinds.includes(p.kind)) throw httpError('PARLEY_ERR_AUTH_FORBIDDEN', `call ${req.routeOptions.url ?? req.url}`)
    req.principal = p
  }, { [kPrincipalKinds]: kinds }))
}, { name: 'parley-auth', fastify: '5.x' })
