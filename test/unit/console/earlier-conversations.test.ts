import { describe, expect, it } from 'vitest'
import type { Conversation } from '@parley/sdk/contract'
import { earlierThan, historyOwnerOf } from '../../../widget/src/console/earlier-conversations.js'

const conv = (convId: string): Conversation => ({
  convId, brandId: 'b', visitorId: 'v-1', status: 'closed', createdAt: 1, closedAt: 2, lastSeq: 1, context: null,
  assignedAgentId: null, origin: 'chat', contact: null,
})

describe('earlier conversations', () => {
  it('belong to the chat\'s visitor', () => {
    expect(historyOwnerOf({ visitorId: 'v-1' })).toEqual({ kind: 'visitor', visitorId: 'v-1' })
  })

  it('leave out the chat on screen and keep the listed order', () => {
    expect(earlierThan([conv('c3'), conv('c2'), conv('c1')], 'c2').map((c) => c.convId)).toEqual(['c3', 'c1'])
    expect(earlierThan([conv('c3')], 'c9').map((c) => c.convId)).toEqual(['c3'])
  })
})
