import {
  DEFAULT_OFFER_TIMEOUT_SEC, type AgentPresence, type OfferOutcome, type RoutingConfig, type ServerFrame,
} from '@parley/sdk/contract'
import type { Bus, BusEvent } from '../bus/bus.js'
import type { Clock } from '../deps.js'
import type { OfferRecord, Store } from '../store/store.js'
import { pickAgent, type RoutingCandidate } from './pick-agent.js'
import { readQueueEntry } from './queue-entry.js'
import { routableSkill } from './routable-skill.js'
import type { Scheduler } from './scheduler.js'
import { BrandPasses } from './brand-passes.js'
import type { BrandLocks } from './brand-locks.js'

// Automatic routing: per brand in `automatic` mode, the relay offers each waiting live chat (highest
// priority first, then the oldest) to one agent who fits (pick-agent.ts), and ends the offer when
// the agent accepts or declines, when it times out (a missed offer), when someone else takes the
// chat, when it closes, or when the agent goes away or routing turns manual. After each change the
// brand's pass runs again. The router listens to the bus, so whatever opens, frees, closes or
// requeues a chat (frame handlers, the inactivity sweep, REST) sets it going without knowing it.
//
// Several relay nodes: every decision is written to the store first. An offer is a row of
// routing_offers, and at most one is pending per chat (a unique index), so two nodes' passes can
// never offer one chat twice; the second createOffer simply loses. What lives only in this node's
// memory is the timer of each offer it made, and passes queued. The rest is shared (cluster/):
// (1) the Redis bus carries conversation.*, agent.status and offer.ended events, so every node's
// router wakes; (2) offers of a node that died time out elsewhere: every node's start picks up
// listPendingOffers(null), every pass times out the brand's expired offers, and the periodic sweep
// (`sweepMs`) catches a brand with no event at all; (3) Redis presence lets the status board see
// agents connected to other nodes; (4) a per-brand lease (`locks`) serialises passes across nodes,
// so two nodes cannot each give one agent a chat at once past their capacity.

/** How many waiting chats one pass looks at (the rest wait for the next pass). */
const PASS_QUEUE_LIMIT = 500

/** What the router reads of agents: their presence (status, chats, capacity, skills). */
export interface FloorReader {
  list(brandId: string): Promise<AgentPresence[]>
}

/** What the router needs. */
export interface RouterDeps {
  store: Store
  bus: Bus
  clock: Clock
  scheduler: Scheduler
  board: FloorReader
  /** A pass or an offer's end failed (the store): logged, and the next event runs the pass again. */
  onError: (err: unknown, brandId: string) => void
  /** Per-brand locks held by every pass (default: none needed, one node). */
  locks?: BrandLocks
  /**
   * How often to look for offers past their expiry in every brand, which a node that died left
   * behind (null: never; one node times its own offers out).
   */
  sweepMs?: number | null
  /** An offer was made or ended (debug logging). */
  onOffer?: (offer: { brandId: string; convId: string; agentId: string; outcome: OfferOutcome | null }) => void
}

/** The brand's routing settings with every default filled in. */
export function routingSettings(config: RoutingConfig | null): { mode: 'manual' | 'automatic'; offerTimeoutSec: number } {
  return { mode: config?.mode ?? 'manual', offerTimeoutSec: config?.offerTimeoutSec ?? DEFAULT_OFFER_TIMEOUT_SEC }
}

/** The automatic routing engine of one relay node. */
export class Router {
  readonly #d: RouterDeps
  readonly #passes: BrandPasses
  /** Timers of the offers this node made, by brand and conversation. */
  readonly #timers = new Map<string, { agentId: string; cancel: () => void }>()
  #unsubscribe: (() => void) | null = null
  #cancelSweep: (() => void) | null = null
  #stopped = false

  constructor(deps: RouterDeps) {
    this.#d = deps
    this.#passes = new BrandPasses({ onError: deps.onError, scheduler: deps.scheduler, clock: deps.clock, ...(deps.locks ? { locks: deps.locks } : {}) })
  }

  /** Listens to the bus and picks up the offers a previous run left pending (expired ones time out at once). */
  async start(): Promise<void> {
    this.#unsubscribe = this.#d.bus.subscribe((e) => this.#onEvent(e))
    for (const offer of await this.#d.store.listPendingOffers(null)) this.#schedule(offer)
    this.#sweepLater()
  }

  /** Stops listening and cancels every timer; resolves when running jobs are done. */
  async stop(): Promise<void> {
    this.#stopped = true
    this.#passes.stop()
    this.#cancelSweep?.()
    this.#unsubscribe?.()
    for (const t of this.#timers.values()) t.cancel()
    this.#timers.clear()
    await this.#passes.idle()
  }

  /** Runs the brand's pass soon (settings changed). */
  wake(brandId: string): void {
    if (!this.#stopped) this.#passes.pass(brandId, (signal) => this.#pass(brandId, signal))
  }

  /** Resolves once no job of any brand is left (tests). */
  idle(): Promise<void> {
    return this.#passes.idle()
  }

  #onEvent(e: BusEvent): void {
    if (this.#stopped) return
    const f = e.frame
    const { brandId } = e
    switch (f.type) {
      case 'conversation.opened':
        if (f.origin !== 'offline') this.wake(brandId)
        return
      case 'conversation.assigned': {
        // Accepted by the agent it was offered to, or taken by anyone else (from the queue, or handed over).
        const agentId = f.agent.id
        const byThemselves = f.by.id === agentId
        this.#end(brandId, f.convId, async (store, at) =>
          (byThemselves ? await store.endOffer(brandId, f.convId, agentId, 'accepted', at) : null)
          ?? store.endOffer(brandId, f.convId, null, 'taken', at))
        return
      }
      case 'conversation.closed':
        this.#end(brandId, f.convId, (store, at) => store.endOffer(brandId, f.convId, null, 'closed', at))
        return
      case 'conversation.requeued':
        this.#end(brandId, f.convId, (store, at) => store.endOffer(brandId, f.convId, null, 'withdrawn', at))
        return
      case 'agent.status':
        if (f.agent.status !== 'available') this.#withdrawFrom(brandId, f.agent.agentId)
        else this.wake(brandId)
        return
      case 'offer.ended': {
        // Ended elsewhere (a decline, or another node): this node's timer for it is moot.
        const key = timerKey(brandId, f.convId)
        if (e.onlyIdentity === `agent:${this.#timers.get(key)?.agentId}`) this.#cancelTimer(key)
        this.wake(brandId)
        return
      }
      default:
    }
  }

  /** Ends a chat's pending offer as `end` decides (it returns the ended offer, or null: none was pending), then runs a pass. */
  #end(brandId: string, convId: string, end: (store: Store, at: number) => Promise<OfferRecord | null>): void {
    this.#passes.run(brandId, async () => {
      const ended = await end(this.#d.store, this.#d.clock.now())
      if (ended) this.#announceEnd(ended)
    })
    this.wake(brandId)
  }

  /** The agent went away or offline: the chats offered to them go to someone else. */
  #withdrawFrom(brandId: string, agentId: string): void {
    this.#passes.run(brandId, () => this.#withdraw(brandId, (o) => o.agentId === agentId))
    this.wake(brandId)
  }

  /** Withdraws the brand's pending offers that `which` picks, telling each agent. */
  async #withdraw(brandId: string, which: (o: OfferRecord) => boolean): Promise<void> {
    const { store, clock } = this.#d
    for (const o of await store.listPendingOffers(brandId)) {
      if (!which(o)) continue
      const ended = await store.endOffer(brandId, o.convId, o.agentId, 'withdrawn', clock.now())
      if (ended) this.#announceEnd(ended)
    }
  }

  /** Runs a pass in every brand holding an offer past its expiry (a dead node's), every `sweepMs`. */
  #sweepLater(): void {
    const every = this.#d.sweepMs
    if (every == null || this.#stopped) return
    this.#cancelSweep = this.#d.scheduler.at(this.#d.clock.now() + every, () => {
      this.#sweepExpired().catch((err: unknown) => this.#d.onError(err, '*')).finally(() => this.#sweepLater())
    })
  }

  async #sweepExpired(): Promise<void> {
    const now = this.#d.clock.now()
    const brands = new Set((await this.#d.store.listPendingOffers(null)).filter((o) => o.expiresAt <= now).map((o) => o.brandId))
    for (const brandId of brands) this.wake(brandId)
  }

  #announceEnd(o: OfferRecord): void {
    this.#cancelTimer(timerKey(o.brandId, o.convId))
    this.#d.onOffer?.({ brandId: o.brandId, convId: o.convId, agentId: o.agentId, outcome: o.outcome })
    this.#toAgent(o.brandId, o.agentId, { type: 'offer.ended', convId: o.convId, outcome: o.outcome ?? 'withdrawn' })
  }

  #toAgent(brandId: string, agentId: string, frame: ServerFrame): void {
    this.#d.bus.publish({ brandId, audience: { kind: 'agents' }, onlyIdentity: `agent:${agentId}`, frame })
  }

  /** Times the offer out at its expiry (at once when it has passed). */
  #schedule(o: OfferRecord): void {
    const key = timerKey(o.brandId, o.convId)
    this.#cancelTimer(key)
    const cancel = this.#d.scheduler.at(o.expiresAt, () => {
      if (this.#timers.get(key)?.cancel !== cancel) return
      this.#timers.delete(key)
      this.#end(o.brandId, o.convId, (store, at) => store.expireOffer(o.brandId, o.convId, o.agentId, at))
    })
    this.#timers.set(key, { agentId: o.agentId, cancel })
  }

  #cancelTimer(key: string): void {
    const t = this.#timers.get(key)
    if (!t) return
    t.cancel()
    this.#timers.delete(key)
  }

  /**
   * One pass over the brand's queue: offers each waiting chat without a pending offer to the agent
   * who fits best. Stops before its next offer once `signal` says the brand's lease was lost.
   */
  async #pass(brandId: string, signal: AbortSignal): Promise<void> {
    const { store, clock } = this.#d
    const settings = routingSettings(await store.getRoutingConfig(brandId))
    if (settings.mode !== 'automatic') {
      // Manual again: every pending offer is withdrawn; agents accept from the queue as before.
      return this.#withdraw(brandId, () => true)
    }
    const [agents, stored, lastOffers] = await Promise.all([
      this.#d.board.list(brandId), store.listPendingOffers(brandId), store.lastOfferTimes(brandId),
    ])
    // An offer past its expiry whose timer never fired (made by a node that died, or whose timer
    // was lost) times out here: every pass, on any node, cleans up after the others.
    const pending: OfferRecord[] = []
    for (const o of stored) {
      const ended = o.expiresAt <= clock.now() ? await store.expireOffer(brandId, o.convId, o.agentId, clock.now()) : null
      if (ended) this.#announceEnd(ended)
      else if (o.expiresAt > clock.now()) pending.push(o)
    }
    const offeredNow = new Set(pending.map((o) => o.convId))
    const pendingByAgent = new Map<string, number>()
    for (const o of pending) pendingByAgent.set(o.agentId, (pendingByAgent.get(o.agentId) ?? 0) + 1)
    const candidates: RoutingCandidate[] = agents.map((a) => ({
      agentId: a.agentId, status: a.status, capacity: a.capacity, activeChats: a.activeChats,
      pendingOffers: pendingByAgent.get(a.agentId) ?? 0, skills: a.skills, lastOfferedAt: lastOffers[a.agentId] ?? 0,
    }))
    const room = () => candidates.some((c) => c.status === 'available' && c.activeChats + c.pendingOffers < c.capacity)
    if (!room()) return
    // Previews only for the chats offered (read below), not for every row of a long queue.
    const queue = await store.listQueue(brandId, PASS_QUEUE_LIMIT, { order: 'priority', previews: false })
    // A skill no agent of the brand has (whatever their status) would strand the chat: it needs none.
    const known = new Set(agents.flatMap((a) => a.skills))
    for (const record of queue) {
      // Every agent full: the rest of the queue waits for the next pass (a store read per chat saved).
      if (!room()) break
      const c = record.conversation
      if (c.origin !== 'chat' || offeredNow.has(c.convId)) continue
      const since = c.queuedAt ?? c.createdAt
      const [offeredTo, declinedBy] = await Promise.all([store.listOfferedAgents(brandId, c.convId, since), store.listDeclinedAgents(brandId, c.convId, since)])
      // Who declined the chat is not offered it again while it waits (nor is it pressed on them when nobody else fits).
      const declined = new Set(declinedBy)
      const fitting = declined.size === 0 ? candidates : candidates.filter((x) => !declined.has(x.agentId))
      const agentId = pickAgent(fitting, routableSkill(c.routing.skill, known), new Set(offeredTo))
      if (agentId === null) continue
      const offeredAt = clock.now()
      const offer = { brandId, convId: c.convId, agentId, offeredAt, expiresAt: offeredAt + settings.offerTimeoutSec * 1000 }
      // The lease is gone: another node may be passing over this brand now; the next pass goes on.
      if (signal.aborted) return
      // False: accepted, closed or offered (by another node) since the queue was read.
      if (!(await store.createOffer(offer))) continue
      const chosen = candidates.find((x) => x.agentId === agentId)!
      chosen.pendingOffers++
      chosen.lastOfferedAt = offeredAt
      this.#d.onOffer?.({ brandId, convId: c.convId, agentId, outcome: null })
      this.#schedule({ ...offer, outcome: null, endedAt: null })
      const entry = await readQueueEntry(store, brandId, c)
      this.#toAgent(brandId, agentId, { type: 'conversation.offered', convId: c.convId, entry, expiresAt: offer.expiresAt })
    }
  }
}

function timerKey(brandId: string, convId: string): string {
  return `${brandId}\n${convId}`
}
