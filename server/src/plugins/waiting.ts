import fp from 'fastify-plugin'
import type { RelayContext } from '../relay/context.js'
import { sweepIdleChats } from '../waiting/idle-sweep.js'
import { startPeriodicJob } from '../periodic-job.js'

// The relay's side of waiting visitors that runs on its own: the inactivity sweep on an interval
// (stopped on shutdown, which waits for a pass in flight; each pass also deletes long-ended offers),
// and the queue announcer's end. The announcer itself lives in the relay context, since a visitor's
// hello asks it for their place.

/** How often quiet chats are looked for, by default. */
export const DEFAULT_INACTIVITY_SWEEP_MS = 30_000

/**
 * Ended offers are kept this long, then deleted by the same sweep: the missed-offers figure counts
 * only today's, and round robin only needs who was offered lately (an agent not offered for
 * longer than this simply comes first). Without it routing_offers grows with every offer made.
 */
export const ENDED_OFFER_KEEP_MS = 35 * 24 * 60 * 60 * 1000

/** Ended offers deleted per sweep at most (a backlog goes over several sweeps, one short transaction each). */
const OFFER_PRUNE_BATCH = 1000

/** Runs the inactivity sweep every `sweepMs` and closes the queue announcer with the app. */
export const waitingPlugin = fp<{ ctx: RelayContext; sweepMs?: number }>(async (app, { ctx, sweepMs }) => {
  // A slow pass (many brands) is not overlapped by the next; shutdown waits for the pass in flight.
  const job = startPeriodicJob(sweepMs ?? DEFAULT_INACTIVITY_SWEEP_MS, async () => {
    const { store, bus, clock } = ctx.deps
    const n = await sweepIdleChats({ store, bus, clock, chatsChanged: (b, ids) => ctx.board.chatsChanged(b, ids) })
    await store.pruneEndedOffers(clock.now() - ENDED_OFFER_KEEP_MS, OFFER_PRUNE_BATCH)
    if (n > 0) app.log.info({ closed: n }, 'quiet chats closed')
  }, (err: unknown) => app.log.error({ err }, 'inactivity sweep failed'))
  app.addHook('preClose', async () => {
    await job.stop()
    ctx.queue.close()
  })
}, { name: 'parley-waiting', fastify: '5.x' })
