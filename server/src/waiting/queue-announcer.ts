import type { QueuePosition } from '@parley/sdk/contract'
import type { Bus, BusEvent } from '../bus/bus.js'
import type { Clock } from '../deps.js'
import type { Store } from '../store/store.js'
import type { Scheduler } from '../routing/scheduler.js'
import { brandSkills, routableSkill } from '../routing/routable-skill.js'
import { changedPlaces, queuePlaces, type QueuePlace } from './queue-places.js'

// Tells waiting visitors their place in the queue. It listens to the bus for what changes a brand's
// queue (a chat opened, assigned, closed, requeued), works the brand's places out once per burst
// (debounced), and sends queue.position only to the visitors whose place or estimate changed.
// While chats wait it also looks again every `refreshMs` (on the injected scheduler, so on the
// clock): the estimate depends on time too (how long each visitor has waited, which acceptances
// are still recent), and must not stay "less than a minute" through minutes of waiting.
// Several nodes: every node's announcer hears every queue change and works the places out, so each
// sends queue.position only to its own connections (a local-only event): a visitor gets one copy.
// A node with no visitor of the brand connected has no one to tell: it reads nothing and keeps no
// timer for that brand (a visitor who connects is told at once: visitorConnected).

/** Frames after which a brand's queue may have changed. */
const QUEUE_CHANGES = new Set<BusEvent['frame']['type']>(['conversation.opened', 'conversation.assigned', 'conversation.closed', 'conversation.requeued'])
/** Waiting chats looked at per brand; a visitor further back gets no place until the queue moves. */
export const MAX_PLACES = 500
/** How far back acceptances count for the estimate. */
export const ESTIMATE_WINDOW_MS = 30 * 60 * 1000
const MAX_RECENT_WAITS = 1000
/** How often a brand's places and estimates are worked out again while chats wait: modest, one store read a brand. */
export const QUEUE_REFRESH_MS = 30_000

/** Timers, injected so tests can run the debounce by hand. */
export interface Timers {
  set(fn: () => void, ms: number): unknown
  clear(id: unknown): void
}

/** What the announcer needs. */
export interface QueueAnnouncerDeps {
  store: Store
  bus: Bus
  clock: Clock
  timers: Timers
  /** How long a burst of queue changes is gathered before one pass. */
  debounceMs: number
  /** Runs the periodic look while chats wait. */
  scheduler: Scheduler
  /** How often places and estimates are worked out again while a brand has waiting chats. */
  refreshMs: number
  /** Whether a visitor of the brand is connected to this node (only they can be told a place here). */
  hasLocalVisitors(brandId: string): boolean
  onError(err: unknown, brandId: string): void
}

/** Sends waiting visitors their queue.position when it changes (see above). */
export class QueueAnnouncer {
  readonly #d: QueueAnnouncerDeps
  /** What each waiting visitor was last told, by brand and conversation. */
  readonly #sent = new Map<string, Map<string, QueuePlace>>()
  readonly #due = new Map<string, unknown>()
  /** The periodic look of each brand with waiting chats: cancels it. */
  readonly #refresh = new Map<string, () => void>()
  readonly #running = new Set<string>()
  readonly #again = new Set<string>()
  readonly #unsubscribe: () => void
  #closed = false

  constructor(d: QueueAnnouncerDeps) {
    this.#d = d
    this.#unsubscribe = d.bus.subscribe((e) => { if (QUEUE_CHANGES.has(e.frame.type)) this.changed(e.brandId) })
  }

  /** The brand's queue may have changed: a pass soon. */
  changed(brandId: string): void {
    if (this.#closed || this.#due.has(brandId)) return
    if (!this.#d.hasLocalVisitors(brandId)) {
      // What they were told is forgotten: a visitor who connects again hears their place anew.
      this.#sent.delete(brandId)
      return
    }
    this.#due.set(brandId, this.#d.timers.set(() => {
      this.#due.delete(brandId)
      void this.#pass(brandId)
    }, this.#d.debounceMs))
  }

  /** A visitor (re)connected: they get their current place, even if it did not change. */
  visitorConnected(brandId: string, visitorId: string): void {
    const sent = this.#sent.get(brandId)
    if (sent) for (const [convId, p] of sent) if (p.visitorId === visitorId) sent.delete(convId)
    this.changed(brandId)
  }

  /** Stops listening; passes under way finish and send nothing more after. */
  close(): void {
    this.#closed = true
    this.#unsubscribe()
    for (const id of this.#due.values()) this.#d.timers.clear(id)
    this.#due.clear()
    for (const cancel of this.#refresh.values()) cancel()
    this.#refresh.clear()
  }

  async #pass(brandId: string): Promise<void> {
    if (this.#running.has(brandId)) {
      this.#again.add(brandId)
      return
    }
    this.#running.add(brandId)
    try {
      await this.#announce(brandId)
    } catch (err) {
      this.#d.onError(err, brandId)
    } finally {
      this.#running.delete(brandId)
      if (this.#again.delete(brandId)) this.changed(brandId)
    }
  }

  async #announce(brandId: string): Promise<void> {
    const { store, bus, clock } = this.#d
    const now = clock.now()
    const [queue, waitsMs, known] = await Promise.all([
      store.listQueue(brandId, MAX_PLACES, { order: 'priority' }),
      store.recentWaits(brandId, now - ESTIMATE_WINDOW_MS, MAX_RECENT_WAITS),
      brandSkills(store, brandId),
    ])
    if (this.#closed) return
    // As routing does: a skill no agent of the brand has counts as none.
    const chats = queue.map((r) => r.conversation).filter((c) => c.origin === 'chat')
      .map((c) => ({ convId: c.convId, visitorId: c.visitorId, skill: routableSkill(c.routing.skill, known) ?? null, waitedMs: Math.max(0, now - (c.queuedAt ?? c.createdAt)) }))
    const next = queuePlaces(chats, { waitsMs, windowMs: ESTIMATE_WINDOW_MS })
    for (const [convId, p] of changedPlaces(this.#sent.get(brandId) ?? new Map(), next)) {
      const frame: QueuePosition = {
        type: 'queue.position', convId, position: p.position,
        ...(p.estimatedWaitSec !== undefined ? { estimatedWaitSec: p.estimatedWaitSec } : {}),
      }
      bus.publish({ brandId, audience: { kind: 'conversation', convId, visitorId: p.visitorId }, onlyIdentity: `visitor:${p.visitorId}`, frame, localOnly: true })
    }
    if (next.size > 0) {
      this.#sent.set(brandId, next)
      this.#refreshLater(brandId)
    } else this.#sent.delete(brandId)
  }

  /** Looks at the brand's queue again in `refreshMs` (one timer per brand; none once nobody waits). */
  #refreshLater(brandId: string): void {
    if (this.#closed || this.#refresh.has(brandId)) return
    this.#refresh.set(brandId, this.#d.scheduler.at(this.#d.clock.now() + this.#d.refreshMs, () => {
      this.#refresh.delete(brandId)
      this.changed(brandId)
    }))
  }
}
