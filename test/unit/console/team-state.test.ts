import { describe, expect, it } from 'vitest'
import type { AgentPresence } from '@parley/sdk/contract'
import { INITIAL, reduce } from '../../../widget/src/console/state.js'

const ana: AgentPresence = { agentId: 'a1', name: 'Ana', status: 'available', auto: false, capacity: 3, activeChats: 0, awayAfterMin: 10, skills: [], since: 1 }
const ben: AgentPresence = { ...ana, agentId: 'a2', name: 'Ben', status: 'offline' }

describe("the console's team state", () => {
  it('takes the presence list whole, then each agent.status over it', () => {
    let s = reduce(INITIAL, { type: 'team', agents: [ana, ben] })
    expect(Object.keys(s.team)).toEqual(['a1', 'a2'])
    s = reduce(s, { type: 'agent-status', agent: { ...ben, status: 'away', since: 2 } })
    expect(s.team.a2!.status).toBe('away')
    expect(s.team.a1).toBe(ana)
    s = reduce(s, { type: 'agent-status', agent: { ...ana, agentId: 'a3', name: 'Cy' } })
    expect(Object.keys(s.team).sort()).toEqual(['a1', 'a2', 'a3'])
  })

  it('keeps a status over an older one that arrives after it (a list or an answer passed by a frame)', () => {
    let s = reduce(INITIAL, { type: 'agent-status', agent: { ...ben, status: 'available', since: 5 } })
    s = reduce(s, { type: 'team', agents: [ana, { ...ben, status: 'offline', since: 2 }] })
    expect(s.team.a2).toMatchObject({ status: 'available', since: 5 })
    expect(s.team.a1).toBe(ana)
    expect(reduce(s, { type: 'agent-status', agent: { ...ben, status: 'away', since: 4 } })).toBe(s)
    // The same moment (a change of open chats or minutes, not of status) is taken.
    s = reduce(s, { type: 'agent-status', agent: { ...ben, status: 'available', since: 5, activeChats: 2 } })
    expect(s.team.a2!.activeChats).toBe(2)
  })

  it('starts with nobody known', () => {
    expect(INITIAL.team).toEqual({})
  })
})
