import type { ServerResponse } from 'node:http'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { RelayContext } from '../relay/context.js'
import type { WebSocket } from 'ws'
import { LiveSession, sessionOf } from '../relay/session.js'
import type { Brand } from '../store/store.js'
import { httpError } from '../errors.js'
import { originAllowed } from '../admin/brands.js'
import { hasPrivacySignal } from '../policy/tracking-policy.js'
import { releaseUpgrade } from './upgrade-release.js'

// The WebSocket endpoint. The upgrade itself is checked first: connections per IP, and for visitors
// the site key and the exact Origin. Tokens never travel in the URL; they come in the hello frame.

declare module 'fastify' {
  interface FastifyRequest {
    parleySite: Brand | null
    /** Set once the upgrade passed its checks: what the handler takes over or lets go of. */
    parleyUpgrade: PendingUpgrade | null
  }
}

/** An upgrade that passed its checks and holds a per-IP slot until the handler takes it over. */
interface PendingUpgrade {
  response: ServerResponse
  /** Gives the slot back if the client vanishes before the handler runs. */
  onVanish: () => void
}

/** Mounts `GET /v1/live` and runs heartbeats and graceful shutdown for its sessions. */
export const livePlugin: FastifyPluginAsync<{ ctx: RelayContext }> = async (app, { ctx }) => {
  const sessions = ctx.sessions
  const perIp = new Map<string, number>()
  app.decorateRequest('parleySite', null)
  app.decorateRequest('parleyUpgrade', null)

  const release = (ip: string) => {
    const n = (perIp.get(ip) ?? 1) - 1
    if (n <= 0) perIp.delete(ip)
    else perIp.set(ip, n)
  }

  async function checkUpgrade(req: FastifyRequest, reply: FastifyReply): Promise<void> {
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
    const onVanish = () => release(ip)
    req.raw.socket.once('close', onVanish)
    req.parleyUpgrade = { response: reply.raw, onVanish }
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
    const ip = req.ip
    const { response, onVanish } = req.parleyUpgrade!
    // The handler owns the per-IP slot from here. Nothing below may hold `req`: the connection
    // would keep the whole upgrade request alive (upgrade-release.ts).
    req.raw.socket.off('close', onVanish)
    // The session first: the error handler below names it, so it must exist before the handler can
    // run; if the constructor throws, the plugin's own error listener is still there to log and
    // terminate. releaseUpgrade replaces the session's no-op 'error' listener too; onError stands in.
    let session: LiveSession
    try {
      session = new LiveSession(socket, req.raw.socket, ctx, req.parleySite?.brandId ?? null, ip, hasPrivacySignal(req.headers))
    } catch (err) {
      // The 'close' listener below that gives the slot back was never added.
      release(ip)
      throw err
    }
    // Listeners shared by every socket (no closure per connection): they find the session from
    // the socket, which ws passes as `this`.
    releaseUpgrade(socket, req.raw.socket, response, onSocketError)
    sessions.add(session)
    socket.on('close', onSocketClose)
  })

  /** A protocol error from ws (a bad frame, one over maxPayload): it closes with its code. */
  function onSocketError(this: WebSocket, err: Error): void {
    const session = sessionOf(this)
    ctx.log.error({ err, connId: session?.connId, ip: session?.ip }, 'websocket error')
    this.terminate()
  }

  function onSocketClose(this: WebSocket): void {
    const session = sessionOf(this)
    if (!session) return
    sessions.delete(session)
    release(session.ip)
  }

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
