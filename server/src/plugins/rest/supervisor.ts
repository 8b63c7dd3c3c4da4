import type { FastifyPluginAsync } from 'fastify'
import { SupervisorView } from '@parley/sdk/contract'
import type { Deps } from '../../deps.js'
import type { StatusBoard } from '../../agents/status-board.js'
import { startOfUtcDay, SUPERVISOR_QUEUE_LIMIT, supervisorView } from '../../agents/supervisor-view.js'

// GET /v1/supervisor: the brand's floor right now, for the console's Floor view and the brand's own
// dashboards (reports.read: supervisors, admins, keys with reports:read). Every figure is the caller's brand's: the principal names the brand, never a parameter.

/** GET /v1/supervisor: the brand's floor right now. */
export const supervisorRoutes: FastifyPluginAsync<{ deps: Deps; board: StatusBoard }> = async (app, { deps, board }) => {
  app.get('/v1/supervisor', {
    schema: { summary: "The brand's floor: agents with their chats, offers and missed offers today; the queue with waiting times", response: { 200: SupervisorView } },
    preHandler: app.authorize('reports.read'),
  }, async (req) => {
    const brandId = req.principal!.brandId
    const now = deps.clock.now()
    const { store } = deps
    // The queue page may hold offline messages (answered by e-mail); the live chats among them are listed.
    const [config, agents, queue, queueLength, pending, missed] = await Promise.all([
      store.getRoutingConfig(brandId), board.list(brandId), store.listQueue(brandId, SUPERVISOR_QUEUE_LIMIT, { order: 'priority' }),
      store.countWaitingChats(brandId), store.listPendingOffers(brandId), store.countMissedOffers(brandId, startOfUtcDay(now)),
    ])
    req.log.debug({ brandId, agents: agents.length, queueLength }, 'supervisor view read')
    return supervisorView({ mode: config?.mode ?? 'manual', agents, queue, queueLength, pending, missed, now })
  })
}
