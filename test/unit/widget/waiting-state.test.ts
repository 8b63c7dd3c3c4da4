import { describe, expect, it } from 'vitest'
import { INITIAL, reduce } from '../../../widget/src/consumer/state.js'
import { queueText } from '../../../widget/src/consumer/queue-text.js'
import { EN } from '../../../widget/src/i18n/strings.js'
import { AR } from '../../../widget/src/i18n/ar.js'

// What a waiting visitor's widget shows: the place line in each shipped language, the place gone
// once an agent takes the chat (and back once it returns to a queue), the quiet close's minutes.
// Whether the brand is away is in deployment.test.ts; the console's side in unit/console/state.test.ts.

const started = reduce(INITIAL, { type: 'started', convId: 'c' })

describe('queueText', () => {
  it.each([
    [1, undefined, 'You are next in line'],
    [2, undefined, 'You are 2nd in line'],
    [3, 120, 'You are 3rd in line · about 2 min'],
    [4, 45, 'You are 4th in line · less than a minute'],
    [11, 60, 'You are 11th in line · about 1 min'],
    [22, 600, 'You are 22nd in line · about 10 min'],
  ] as const)('reads place %i with %s s as "%s"', (position, estimatedWaitSec, text) => {
    expect(queueText({ convId: 'c', position, ...(estimatedWaitSec !== undefined ? { estimatedWaitSec } : {}) }, { ...EN, locale: 'en-US' })).toBe(text)
  })

  it('uses the Arabic dual for two minutes', () => {
    expect(queueText({ convId: 'c', position: 3, estimatedWaitSec: 120 }, AR)).toBe('ترتيبك 3 في الانتظار · نحو دقيقتين')
  })
})

describe('the waiting state', () => {
  it('keeps the place until an agent takes the chat', () => {
    let s = reduce(started, { type: 'queue', place: { convId: 'c', position: 2 } })
    expect(s.queue).toEqual({ convId: 'c', position: 2 })
    s = reduce(s, { type: 'assigned', name: 'Dana' })
    expect(s.queue).toBeNull()
  })

  it('forgets the agent when the chat goes back to a queue', () => {
    let s = reduce(started, { type: 'assigned', name: 'Ana' })
    s = reduce(s, { type: 'queue', place: { convId: 'c', position: 1 } })
    expect([s.agentName, s.queue]).toEqual([null, { convId: 'c', position: 1 }])
  })

  it("ignores a place for a conversation that is not on screen", () => {
    const s = reduce(reduce(started, { type: 'assigned', name: 'Ana' }), { type: 'queue', place: { convId: 'old', position: 3 } })
    expect([s.agentName, s.queue]).toEqual(['Ana', null])
  })

  it('remembers that a chat closed as quiet, and forgets it for a new chat', () => {
    let s = reduce(started, { type: 'queue', place: { convId: 'c', position: 1 } })
    s = reduce(s, { type: 'ended', at: 5, inactiveMin: 30 })
    expect([s.ended, s.queue, s.endedInactiveMin]).toEqual([true, null, 30])
    s = reduce(s, { type: 'new-chat' })
    expect(s.endedInactiveMin).toBeNull()
  })
})
