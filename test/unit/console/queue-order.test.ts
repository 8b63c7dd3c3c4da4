import { describe, expect, it } from 'vitest'
import type { QueueEntry, Routing } from '@parley/sdk/contract'
import { INITIAL, reduce } from '../../../widget/src/console/state.js'
import { priorityOf, sortQueue } from '../../../widget/src/console/queue-order.js'

const entry = (convId: string, createdAt: number, routing?: Routing): QueueEntry => ({
  convId, visitorId: `v-${convId}`, createdAt, lastSeq: 1, preview: convId, ...(routing ? { routing } : {}),
})
const ids = (q: readonly QueueEntry[]) => q.map((e) => e.convId)

describe('queue order', () => {
  it('takes a conversation without a set priority as normal', () => {
    expect(priorityOf(undefined)).toBe('normal')
    expect(priorityOf({ topic: 'billing' })).toBe('normal')
    expect(priorityOf({ priority: 'urgent' })).toBe('urgent')
  })

  it('puts the highest priority first and, within a priority, the longest waiting first', () => {
    const q = [entry('n2', 20), entry('low', 1, { priority: 'low' }), entry('u', 30, { priority: 'urgent' }), entry('n1', 10, { topic: 'x' }), entry('h', 40, { priority: 'high' })]
    expect(ids(sortQueue(q, 'priority'))).toEqual(['u', 'h', 'n1', 'n2', 'low'])
  })

  it('lists the newest first whatever the priority when the agent asks for newest', () => {
    const q = [entry('a', 1, { priority: 'urgent' }), entry('b', 2), entry('c', 3, { priority: 'low' })]
    expect(ids(sortQueue(q, 'newest'))).toEqual(['c', 'b', 'a'])
  })

  it('breaks a tie of priority and age by id, so every console shows the same order', () => {
    expect(ids(sortQueue([entry('b', 5), entry('a', 5)], 'priority'))).toEqual(['a', 'b'])
  })

  it('places a conversation that opens with a high priority ahead of older normal ones in the state', () => {
    let s = reduce(INITIAL, { type: 'queue', entries: [entry('old', 1), entry('older', 0)] })
    s = reduce(s, { type: 'queued', entry: entry('hot', 9, { priority: 'high', topic: 'billing' }) })
    s = reduce(s, { type: 'queued', entry: entry('late', 10) })
    expect(ids(s.queue)).toEqual(['hot', 'older', 'old', 'late'])
  })

  it('keeps the priority order as conversations are taken or closed', () => {
    let s = reduce(INITIAL, { type: 'queue', entries: [entry('a', 1), entry('b', 2, { priority: 'urgent' }), entry('c', 3, { priority: 'high' })] })
    s = reduce(s, { type: 'assigned', convId: 'b', agentId: 'x' })
    s = reduce(s, { type: 'queued', entry: entry('d', 4, { priority: 'urgent' }) })
    s = reduce(s, { type: 'closed', convId: 'a' })
    expect(ids(s.queue)).toEqual(['d', 'c'])
  })

  it('sorts a listing the relay sent in another order back into priority order', () => {
    const s = reduce(INITIAL, { type: 'queue', entries: [entry('a', 1), entry('b', 2, { priority: 'high' })] })
    expect(ids(s.queue)).toEqual(['b', 'a'])
  })
})
