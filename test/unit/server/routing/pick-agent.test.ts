import { describe, expect, it } from 'vitest'
import { pickAgent, type RoutingCandidate } from '../../../../server/src/routing/pick-agent.js'

// Who gets the next waiting chat, as a table: the floor, the chat's skill, who was offered it
// already, and the agent expected (null: nobody fits, the chat keeps waiting).

const agent = (agentId: string, over: Partial<RoutingCandidate> = {}): RoutingCandidate => ({
  agentId, status: 'available', capacity: 3, activeChats: 0, pendingOffers: 0, skills: [], lastOfferedAt: 0, ...over,
})

const TABLE: { name: string; floor: RoutingCandidate[]; skill?: string; offered?: string[]; expected: string | null }[] = [
  { name: 'nobody on the floor', floor: [], expected: null },
  { name: 'the only available agent', floor: [agent('a')], expected: 'a' },
  { name: 'away and offline agents never', floor: [agent('a', { status: 'away' }), agent('b', { status: 'offline' })], expected: null },
  { name: 'an agent at capacity never', floor: [agent('a', { activeChats: 3 })], expected: null },
  { name: 'pending offers hold slots', floor: [agent('a', { activeChats: 2, pendingOffers: 1 })], expected: null },
  { name: 'capacity one with a chat', floor: [agent('a', { capacity: 1, activeChats: 1 }), agent('b', { capacity: 1 })], expected: 'b' },
  { name: 'the skill the chat needs', floor: [agent('a', { skills: ['tech'] }), agent('b', { skills: ['billing'] })], skill: 'billing', expected: 'b' },
  { name: 'nobody with the skill', floor: [agent('a', { skills: ['tech'] }), agent('b')], skill: 'billing', expected: null },
  { name: 'a chat without a skill goes to anyone', floor: [agent('a', { skills: ['tech'], activeChats: 1 }), agent('b', { skills: ['billing'] })], expected: 'b' },
  { name: 'the least busy first', floor: [agent('a', { activeChats: 2 }), agent('b', { activeChats: 1 }), agent('c', { activeChats: 2 })], expected: 'b' },
  { name: 'busy counts offers too', floor: [agent('a', { activeChats: 1 }), agent('b', { pendingOffers: 2 })], expected: 'a' },
  { name: 'ties: the one offered a chat longest ago', floor: [agent('a', { lastOfferedAt: 300 }), agent('b', { lastOfferedAt: 100 }), agent('c', { lastOfferedAt: 200 })], expected: 'b' },
  { name: 'ties: never offered before anyone offered', floor: [agent('a', { lastOfferedAt: 5 }), agent('b')], expected: 'b' },
  { name: 'ties all the way: the agent id, whatever the list order', floor: [agent('b'), agent('a')], expected: 'a' },
  { name: 'already offered: tried after everyone else who fits', floor: [agent('a'), agent('b', { activeChats: 2 })], offered: ['a'], expected: 'b' },
  { name: 'already offered: still tried when nobody else fits', floor: [agent('a'), agent('b', { status: 'away' })], offered: ['a'], expected: 'a' },
  { name: 'already offered all: least busy of them', floor: [agent('a', { activeChats: 1 }), agent('b')], offered: ['a', 'b'], expected: 'b' },
  { name: 'already offered but without the skill: still no', floor: [agent('a', { skills: ['tech'] })], skill: 'billing', offered: [], expected: null },
]

describe('pickAgent', () => {
  it.each(TABLE)('$name', ({ floor, skill, offered, expected }) => {
    expect(pickAgent(floor, skill, new Set(offered ?? []))).toBe(expected)
  })

  it('gives equal agents chats in turn as their last offer times move on', () => {
    const floor = [agent('a'), agent('b'), agent('c')]
    const order: string[] = []
    for (let t = 1; t <= 6; t++) {
      const chosen = pickAgent(floor, undefined, new Set())!
      order.push(chosen)
      floor.find((x) => x.agentId === chosen)!.lastOfferedAt = t
    }
    expect(order).toEqual(['a', 'b', 'c', 'a', 'b', 'c'])
  })
})
