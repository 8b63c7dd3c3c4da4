import type { Participant, ServerFrame } from '@parley/sdk/contract'
import type { Bus, BusEvent } from '../bus/bus.js'
import { PairMap } from '../pair-map.js'
import { ConversationFollowers } from './conversation-followers.js'

// Delivers bus events to this node's connections. It knows which local connection belongs to which
// visitor, which agent, and which conversations an agent's connections follow; events say who they
// are for, so every node can route them without asking another.

/** What fan-out needs of a live connection. */
export interface FanoutTarget {
  readonly connId: string
  readonly brandId: string
  /** Who is connected; set before the target is added. */
  readonly who: Participant | null
  /** `visitor:ID` or `agent:ID`. */
  readonly identity: string
  /** Sends an event's frame; `json` is the frame already serialised, shared by all targets. */
  deliver(frame: ServerFrame, json: string): void
}

/** The local routing table, fed by the bus. */
export class Fanout {
  /**
   * By (brand, visitor id) and (brand, agent id): keyed by the pair, so an event routes on the ids
   * it carries without building a string (test/bench/README.md).
   */
  readonly #byParticipant = { visitor: new PairMap<string, string, Set<FanoutTarget>>(), agent: new PairMap<string, string, Set<FanoutTarget>>() }
  readonly #agentsByBrand = new Map<string, Set<FanoutTarget>>()
  /** The conversations each agent connection follows, and who follows each conversation. */
  readonly #followers = new ConversationFollowers<FanoutTarget>()
  /** Targets already removed: a handler that finishes after the socket closed must not re-add one. */
  readonly #removed = new WeakSet<FanoutTarget>()
  readonly #unsubscribe: () => void

  constructor(bus: Bus) {
    this.#unsubscribe = bus.subscribe((e) => this.#deliver(e))
  }

  /** Routes events for the target's identity (and, for agents, the brand's agent events) to it. */
  add(t: FanoutTarget): void {
    if (this.#removed.has(t) || !t.who) return
    addTo(this.#byParticipant[t.who.kind], [t.brandId, t.who.id], t)
    if (t.who.kind === 'agent') addTo(this.#agentsByBrand, [t.brandId], t)
  }

  /** Whether a visitor of the brand is connected to this node. */
  hasVisitors(brandId: string): boolean {
    return this.#byParticipant.visitor.hasFirst(brandId)
  }

  /** Routes a conversation's events to an agent connection that follows it. */
  follow(t: FanoutTarget, convId: string): void {
    if (this.#removed.has(t)) return
    this.#followers.follow(t, convId)
  }

  /** Whether an agent connection already follows a conversation. */
  isFollowing(t: FanoutTarget, convId: string): boolean {
    return this.#followers.has(t, convId)
  }

  /** Stops routing a conversation's events to a connection. */
  unfollow(t: FanoutTarget, convId: string): void {
    this.#followers.unfollow(t, convId)
  }

  remove(t: FanoutTarget): void {
    this.#removed.add(t)
    if (t.who) removeFrom(this.#byParticipant[t.who.kind], [t.brandId, t.who.id], t)
    removeFrom(this.#agentsByBrand, [t.brandId], t)
    this.#followers.remove(t)
  }

  close(): void {
    this.#unsubscribe()
  }

  #deliver(e: BusEvent): void {
    const a = e.audience
    if (e.joinAgentId !== undefined && a.kind !== 'agents') {
      for (const t of this.#byParticipant.agent.get(e.brandId, e.joinAgentId) ?? []) this.follow(t, a.convId)
    }
    if (a.kind === 'agents') {
      sendTo(this.#agentsByBrand.get(e.brandId), e, undefined)
      return
    }
    if (a.kind === 'conversation-agents') {
      // Only agent connections follow conversations: the visitor's never get it.
      sendTo(this.#followers.followersOf(e.brandId, a.convId), e, undefined)
      return
    }
    // The frame is serialised once, for the first target that gets it, and shared by the rest.
    const json = sendTo(this.#byParticipant.visitor.get(e.brandId, a.visitorId), e, undefined)
    const followers = this.#followers.followersOf(e.brandId, a.convId)
    // A brand event goes to every agent once, whether or not they follow the conversation.
    sendTo(a.kind === 'brand' ? this.#agentsByBrand.get(e.brandId) : followers, e, json)
    // A closed conversation gets no more messages: stop routing it, so follows don't pile up on a
    // long-lived agent connection.
    if (e.frame.type === 'conversation.closed') this.#followers.drop(e.brandId, a.convId)
  }
}

/** Delivers `e` to each of `targets` it is meant for; returns the frame's JSON once it was made. */
function sendTo(targets: Iterable<FanoutTarget> | undefined, e: BusEvent, json: string | undefined): string | undefined {
  if (!targets) return json
  for (const t of targets) {
    if (t.connId === e.exceptConnId || t.identity === e.exceptIdentity) continue
    if (e.onlyIdentity !== undefined && t.identity !== e.onlyIdentity) continue
    t.deliver(e.frame, (json ??= JSON.stringify(e.frame)))
  }
  return json
}

/** A Map or a PairMap of sets: the key is one part or two. */
interface SetsByKey<K extends unknown[], V> {
  get(...key: K): Set<V> | undefined
  set(...entry: [...K, Set<V>]): unknown
  delete(...key: K): boolean
}

function addTo<K extends unknown[], V>(m: SetsByKey<K, V>, key: K, v: V): void {
  let s = m.get(...key)
  if (!s) m.set(...key, (s = new Set()))
  s.add(v)
}

function removeFrom<K extends unknown[], V>(m: SetsByKey<K, V>, key: K, v: V): void {
  const s = m.get(...key)
  if (!s) return
  s.delete(v)
  if (s.size === 0) m.delete(...key)
}
