import type { FastifyPluginAsync } from 'fastify'
import { Health, PROTOCOL_VERSION } from '@parley/sdk/contract'
import type { Store } from '../store/store.js'
import { httpError } from '../errors.js'

/** `/healthz`: the process answers. `/readyz`: the store answers too (load balancers route on it). */
export const healthRoutes: FastifyPluginAsync<{ store: Store; isClosing: () => boolean }> = async (app, { store, isClosing }) => {
  app.get('/healthz', { schema: { summary: 'Liveness: the process answers', response: { 200: Health } }, logLevel: 'warn' }, async () => ({ status: 'ok', protocol: PROTOCOL_VERSION }))
  app.get('/readyz', { schema: { summary: 'Readiness: the store takes a write', response: { 200: Health } }, logLevel: 'warn' }, async () => {
    if (isClosing()) throw httpError('PARLEY_ERR_SERVER_SHUTTING_DOWN')
    try {
      await store.ping()
    } catch (err) {
      app.log.error({ err }, 'store not ready')
      throw httpError('PARLEY_ERR_SERVER_STORE')
    }
    return { status: 'ready', protocol: PROTOCOL_VERSION }
  })
}
