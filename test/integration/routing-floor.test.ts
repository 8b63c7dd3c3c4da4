import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ServerFrame } from '@parley/sdk/contract'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestBrand } from '../helpers/brand.js'
import { floorAgent, openChat, saveTeamSurvey, setRouting, type FloorAgent, type WaitingVisitor } from '../helpers/routing-floor.js'
import { until } from '../helpers/until.js'

// A busy floor on a real relay, real SQLite, real timers and real sockets: 30 visitors arrive at
// once for 3 agents of capacity 3 with two skills. Each agent's console accepts what it is offered
// and closes each chat soon after, freeing the slot. Every chat must reach an agent with its skill,
// nobody may ever hold (or be offered) more than their capacity, and the visitors who wait see their
// place in the queue fall.

const CAPACITY = 3
const VISITORS = 30

/** One agent's console: accepts every offer, closes each chat a quarter of a second after it joined. */
function runConsole(a: FloorAgent, skills: string[], seen: { assigned: Map<string, string>; overCapacity: string[]; wrongSkill: string[] }) {
  const held = new Set<string>()
  const offered = new Set<string>()
  a.client.ws.on('message', (data) => {
    const f = JSON.parse(String(data)) as ServerFrame
    if (f.type === 'conversation.offered') {
      offered.add(f.convId)
      // What the relay promised: chats held plus offers pending never past capacity.
      if (held.size + offered.size > CAPACITY) seen.overCapacity.push(`${a.name}: ${held.size} held + ${offered.size} offered`)
      const skill = f.entry.routing?.skill
      if (skill !== undefined && !skills.includes(skill)) seen.wrongSkill.push(`${f.convId} (${skill}) to ${a.name}`)
      a.client.send({ type: 'conversation.accept', convId: f.convId, ref: `acc:${f.convId}` })
    } else if (f.type === 'offer.ended') {
      offered.delete(f.convId)
    } else if (f.type === 'conversation.joined' && f.ref === `acc:${f.convId}`) {
      offered.delete(f.convId)
      held.add(f.convId)
      if (held.size > CAPACITY) seen.overCapacity.push(`${a.name}: holds ${held.size}`)
      seen.assigned.set(f.convId, a.name)
      // Held long enough that the queue moves in several steps the announcer (which gathers a
      // brand's changes for 100 ms) can tell apart: with 20 ms the whole floor once drained inside
      // one or two passes, and no waiting visitor ever heard their place fall.
      setTimeout(() => a.client.send({ type: 'conversation.close', convId: f.convId, ref: `close:${f.convId}` }), 250 + Math.floor(Math.random() * 100))
    } else if (f.type === 'conversation.closed' && f.ref === `close:${f.convId}`) {
      held.delete(f.convId)
    } else if (f.type === 'agent.status' && f.agent.agentId === a.agentId && f.agent.activeChats > f.agent.capacity) {
      seen.overCapacity.push(`${a.name}: status says ${f.agent.activeChats}`)
    }
  })
}

describe('a busy floor with automatic routing', () => {
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay() })
  afterAll(async () => { await relay.close() })

  it('brings 30 visitors to 3 agents of capacity 3 by skill, never past capacity, with queue places falling', async () => {
    const brand = await createTestBrand(relay)
    await saveTeamSurvey(relay, brand.brandId)
    await setRouting(relay, brand.brandId, 'automatic', 30)
    const skillsOf: Record<string, string[]> = { Bill: ['billing'], Tess: ['tech'], Robin: ['billing', 'tech'] }
    const seen = { assigned: new Map<string, string>(), overCapacity: [] as string[], wrongSkill: [] as string[] }
    const agents: FloorAgent[] = []
    for (const [name, skills] of Object.entries(skillsOf)) {
      const a = await floorAgent(relay, brand.brandId, name, skills, CAPACITY)
      runConsole(a, skills, seen)
      agents.push(a)
    }
    const teams = Array.from({ length: VISITORS }, (_, i): 'tech' | 'billing' | 'any' => (i % 3 === 0 ? 'tech' : i % 3 === 1 ? 'billing' : 'any'))
    const visitors: (WaitingVisitor & { team: string })[] = await Promise.all(teams.map(async (team) => ({ ...(await openChat(relay, brand, team)), team })))

    await until(() => seen.assigned.size === VISITORS, `all ${VISITORS} chats assigned (${seen.assigned.size} so far)`, 60_000)
    expect(seen.overCapacity).toEqual([])
    expect(seen.wrongSkill).toEqual([])
    for (const v of visitors) {
      const agent = seen.assigned.get(v.convId)!
      if (v.team !== 'any') expect(skillsOf[agent], `${v.convId} (${v.team}) went to ${agent}`).toContain(v.team)
      // The visitor was told who took it: the agent the store holds.
      const stored = await relay.deps.store.getConversation(brand.brandId, v.convId)
      expect(stored?.assignedAgentId).toBe(agents.find((a) => a.name === agent)!.agentId)
    }
    // Each chat was offered and accepted once: no offer left pending, none missed.
    await until(async () => (await relay.deps.store.listPendingOffers(brand.brandId)).length === 0, 'no offer pending')
    expect(await relay.deps.store.countMissedOffers(brand.brandId, 0)).toEqual({})

    // Waiting visitors saw their place fall: never up, and down for those who waited.
    const places = visitors.map((v) => v.client.all('queue.position', (f) => f.convId === v.convId).map((f) => f.position))
    for (const p of places) for (let i = 1; i < p.length; i++) expect(p[i]).toBeLessThanOrEqual(p[i - 1]!)
    expect(places.filter((p) => p.length >= 2 && p.at(-1)! < p[0]!).length).toBeGreaterThan(0)
    for (const v of visitors) v.client.ws.close()
    for (const a of agents) a.client.ws.close()
  })
})
