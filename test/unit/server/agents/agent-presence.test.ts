import { describe, expect, it } from 'vitest'
import { agentPresence, hasFreeSlot } from '../../../../server/src/agents/agent-presence.js'
import { createInProcessPresence } from '../../../../server/src/agents/presence.js'
import type { AgentRecord, AgentStatusRecord } from '../../../../server/src/store/store.js'

const agent: AgentRecord = { brandId: 'b', agentId: 'a1', email: 'a@x.example', name: 'Ana', passwordHash: '', createdAt: 100, capacity: 2, skills: [], role: 'agent', active: true }
const away: AgentStatusRecord = { brandId: 'b', agentId: 'a1', status: 'away', auto: true, awayAfterMin: 5, since: 500 }

describe('agentPresence', () => {
  it('shows a connected agent who never chose a status as available, with the default idle minutes', () => {
    const p = agentPresence(agent, null, { online: true, since: 300 }, 1)
    expect(p).toEqual({ agentId: 'a1', name: 'Ana', status: 'available', auto: false, capacity: 2, activeChats: 1, awayAfterMin: 10, skills: [], since: 300 })
    expect(hasFreeSlot(p)).toBe(true)
  })

  it('shows the chosen status while connected, and offline (not auto) once the last connection closed', () => {
    expect(agentPresence(agent, away, { online: true, since: 300 }, 0)).toMatchObject({ status: 'away', auto: true, awayAfterMin: 5, since: 500 })
    expect(agentPresence(agent, away, { online: false, since: 900 }, 0)).toMatchObject({ status: 'offline', auto: false, since: 900 })
    expect(agentPresence(agent, null, { online: false, since: null }, 0)).toMatchObject({ status: 'offline', since: 100 })
  })

  it('has no free slot when away, offline, or at capacity', () => {
    expect(hasFreeSlot(agentPresence(agent, away, { online: true, since: 1 }, 0))).toBe(false)
    expect(hasFreeSlot(agentPresence(agent, null, { online: false, since: 1 }, 0))).toBe(false)
    expect(hasFreeSlot(agentPresence(agent, null, { online: true, since: 1 }, 2))).toBe(false)
  })
})

describe('the in-process presence', () => {
  it('flips only on the first connection and the last close', async () => {
    const p = createInProcessPresence()
    expect(await p.connected('b', 'a1', 10)).toEqual({ flipped: true, since: 10 })
    expect(await p.connected('b', 'a1', 20)).toEqual({ flipped: false, since: 10 })
    expect(await p.disconnected('b', 'a1', 30)).toEqual({ flipped: false, since: 10 })
    expect(await p.get('b', 'a1')).toEqual({ online: true, since: 10 })
    expect([...(await p.online('b'))]).toEqual([['a1', 10]])
    expect(await p.disconnected('b', 'a1', 40)).toEqual({ flipped: true, since: 40 })
    expect(await p.get('b', 'a1')).toEqual({ online: false, since: 40 })
    expect((await p.online('b')).size).toBe(0)
  })

  it('ignores a close it never counted, and keeps brands apart', async () => {
    const p = createInProcessPresence()
    expect((await p.disconnected('b', 'a1', 5)).flipped).toBe(false)
    await p.connected('b', 'a1', 10)
    expect(await p.get('other', 'a1')).toEqual({ online: false, since: null })
    expect((await p.online('other')).size).toBe(0)
  })
})
