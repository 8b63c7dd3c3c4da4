import { describe, expect, it } from 'vitest'
import type { AgentPresence, QueueEntry, SupervisorView } from '@parley/sdk/contract'
import { formatWait, liveFloor } from '../../../widget/src/console/floor-view.js'
import { skillsOf } from '../../../widget/src/console/team-skills.js'

const ana: AgentPresence = { agentId: 'a1', name: 'Ana', status: 'available', auto: false, capacity: 3, activeChats: 1, awayAfterMin: 10, skills: ['billing'], since: 1 }
const ben: AgentPresence = { ...ana, agentId: 'a2', name: 'Ben', status: 'away', activeChats: 0, skills: ['billing', 'tech'] }
const view: SupervisorView = {
  mode: 'automatic', at: 100_000, missedToday: 2, queueLength: 2,
  agents: [
    { agentId: 'a1', name: 'Ana', status: 'available', capacity: 3, activeChats: 1, skills: ['billing'], offersPending: 1, missedToday: 2 },
    { agentId: 'a2', name: 'Ben', status: 'offline', capacity: 3, activeChats: 0, skills: [], offersPending: 0, missedToday: 0 },
  ],
  queue: [{ convId: 'q1', createdAt: 40_000, waitingSec: 60, offeredTo: 'a1' }, { convId: 'q2', createdAt: 90_000, waitingSec: 10 }],
}
const entry = (convId: string, createdAt: number): QueueEntry => ({ convId, visitorId: 'v', createdAt, lastSeq: 1, preview: '' })

describe("the Floor view's figures", () => {
  it('counts waits to now and takes agents from the live team', () => {
    const f = liveFloor(view, { a2: ben }, { entries: [entry('q1', 40_000), entry('q2', 90_000)], complete: true, listed: true }, 130_000)
    expect(f.queue.map((q) => [q.convId, q.waitingSec])).toEqual([['q1', 90], ['q2', 40]])
    expect(f.agents[1]).toMatchObject({ status: 'away', skills: ['billing', 'tech'] })
    expect(f).toMatchObject({ availableAgents: 1, offersPending: 1, missedToday: 2, queueLength: 2 })
  })

  it('counts the wait of a chat sent back to a queue from when it went back', () => {
    const back: SupervisorView = { ...view, queue: [{ convId: 'q1', createdAt: 40_000, queuedAt: 100_000, waitingSec: 0 }] }
    const f = liveFloor(back, {}, { entries: [], complete: false, listed: false }, 130_000)
    expect(f.queue.map((q) => q.waitingSec)).toEqual([30])
  })

  it('drops a chat the console saw leave the queue and adds one it saw arrive', () => {
    const f = liveFloor(view, {}, { entries: [entry('q2', 90_000), entry('q3', 120_000)], complete: true, listed: true }, 130_000)
    expect(f.queue.map((q) => q.convId)).toEqual(['q2', 'q3'])
    expect(f.queueLength).toBe(2)
  })

  it('keeps the relay list while the console holds only part of the queue', () => {
    const f = liveFloor(view, {}, { entries: [], complete: false, listed: true }, 130_000)
    expect(f.queue.map((q) => q.convId)).toEqual(['q1', 'q2'])
  })

  it('reads waits as seconds, minutes and hours', () => {
    expect(formatWait(42)).toBe('42 s')
    expect(formatWait(65)).toBe('1 min 05 s')
    expect(formatWait(3 * 3600 + 7 * 60)).toBe('3 h 07 min')
  })

  it("lists the team's skills with how many of their agents are available", () => {
    expect(skillsOf([ana, ben])).toEqual([{ skill: 'billing', available: 1 }, { skill: 'tech', available: 0 }])
    expect(skillsOf([])).toEqual([])
  })
})
