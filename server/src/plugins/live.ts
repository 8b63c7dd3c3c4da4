import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { RelayContext } from '../relay/context.js'
import { LiveSession } from '../relay/session.js'
import type { Brand } from '../store/store.js'
import { httpError } from '../errors.js'
import { originAllowed } from '../admin/brands.js'
import { hasPrivacySignal } from '../policy/tracking-policy.js'

// The WebSocket endpoint. The upgrade itself is checked first: connections per IP, and for visitors
// the site key and the exact Origin. Tokens never travel in the URL; they come in the hello frame.

declare module 'fastify' {
  interface FastifyRequest {
    parleySite: Brand | null
    /** Set once the upgrade reached the handler, which then owns the per-IP slot. */
    parleyUpgraded: boolean
  }
}

/** Mounts `GET /v1/live` and runs heartbeats and graceful shutdown for its sessions. */
export const livePlugin: FastifyPluginAsync<{ ctx: RelayContext }> = async (app, { ctx }) => {
  const sessions = ctx.sessions
  const perIp = new Map<string, number>()
  app.decorateRequest('parleySite', null)
  app.decorateRequest('parleyUpgraded', false)

  const release = (ip: string) => {
    const n = (perIp.get(ip) ?? 1) - 1
    if (n <= 0) perIp.delete(ip)
    else perIp.set(ip, n)
  }

  async function checkUpgrade(req: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const ip = req.ip
    if ((perIp.get(ip) ?? 0) >= ctx.limits.connectionsPerIp) {
      req.log.warn({ ip }, 'connection limit reached')
      throw httpError('PARLEY_ERR_LIMIT_CONNECTIONS', ctx.limits.connectionsPerIp)
    }
    // Hold the slot while the site is looked up, so a burst cannot all pass the check at once.
    perIp.set(ip, (perIp.get(ip) ?? 0) + 1)
    try {
      await checkSite(req)
    } catch (err) {
      release(ip)
      throw err
    }
    // A client that vanishes between the check and the upgrade never reaches the handler.
    req.raw.socket.once('close', () => { if (!req.parleyUpgraded) release(ip) })
  }

  async function checkSite(req: FastifyRequest): Promise<void> {
    const site = (req.query as Record<string, unknown>).site
    if (site === undefined) return
    const brand = typeof site === 'string' && site.length <= 128 ? await ctx.deps.store.getBrandBySiteKey(site) : null
    if (!brand) throw httpError('PARLEY_ERR_TENANT_SITE_KEY')
    // Browsers always send Origin on a WebSocket upgrade.
    const origin = req.headers.origin
    if (!originAllowed(brand, origin)) {
      req.log.warn({ brandId: brand.brandId, origin: origin!.slice(0, 200) }, 'origin refused')
      throw httpError('PARLEY_ERR_TENANT_ORIGIN', origin!.slice(0, 200))
    }
    req.parleySite = brand
  }

  app.get('/v1/live', { websocket: true, preValidation: checkUpgrade }, (socket, req) => {
    req.parleyUpgraded = true
    const session = new LiveSession(socket, ctx, req.parleySite, req.ip, hasPrivacySignal(req.headers))
    sessions.add(session)
    socket.on('close', () => {
      sessions.delete(session)
      release(req.ip)
    })
  })

  // A connection that answered neither a ping nor anything else for a whole interval is dead:
  // its TCP peer may be gone without a FIN (a phone that lost signal), so terminate it.
  const heartbeat = setInterval(() => {
    for (const s of sessions) {
      if (!s.checkAlive()) s.ws.terminate()
      else if (s.ws.readyState === 1) s.ws.ping()
    }
  }, ctx.limits.heartbeatMs)
  heartbeat.unref()

  app.addHook('onClose', async () => { clearInterval(heartbeat) })
}
