import { describe, expect, it } from 'vitest'
import type { Participant, Role } from '@parley/sdk/contract'
import type { Principal } from '../../../../server/src/auth/policy.js'
import {
  assignRefusal, closeRefusal, handOnDecision, mayHandOn, maySee, needsMembership, noteRefusal, requeueRefusal, waitsForAgent, writeRefusal,
  type ConversationFacts,
} from '../../../../server/src/policy/conversation-policy.js'

const visitor: Participant = { kind: 'visitor', id: 'v_1' }
const otherVisitor: Participant = { kind: 'visitor', id: 'v_2' }
const agent: Participant = { kind: 'agent', id: 'a_1', name: 'Dana' }
const open: ConversationFacts = { visitorId: 'v_1', status: 'open', assignedAgentId: null }
const closed: ConversationFacts = { visitorId: 'v_1', status: 'closed', assignedAgentId: 'a_1' }

describe('conversation policy', () => {
  it('asks for membership only for agents', () => {
    expect([needsMembership(visitor), needsMembership(agent)]).toEqual([false, true])
  })

  it('shows a conversation to its visitor and to agents who take part, to no one else', () => {
    expect([maySee(open, visitor, false), maySee(open, otherVisitor, false), maySee(open, agent, true), maySee(open, agent, false)])
      .toEqual([true, false, true, false])
  })

  it.each([
    ['a visitor opening a fresh id', null, visitor, false, null],
    ['an agent writing to an unknown id', null, agent, true, 'PARLEY_ERR_CONV_NOT_FOUND'],
    ['the visitor in their open conversation', open, visitor, false, null],
    ["another visitor's conversation", open, otherVisitor, false, 'PARLEY_ERR_CONV_NOT_FOUND'],
    ['an agent who has not joined', open, agent, false, 'PARLEY_ERR_CONV_NOT_JOINED'],
    ['an agent who joined', open, agent, true, null],
    ['a closed conversation', closed, visitor, false, 'PARLEY_ERR_CONV_CLOSED'],
    ["a closed conversation of another visitor (looks unknown, not closed)", closed, otherVisitor, false, 'PARLEY_ERR_CONV_NOT_FOUND'],
  ] as const)('write: %s', (_name, conv, who, joined, expected) => {
    expect(writeRefusal(conv, who, joined)).toBe(expected)
  })

  it('lets the visitor or a joined agent close, and answers others as for writing', () => {
    expect([closeRefusal(open, visitor, false), closeRefusal(closed, visitor, false), closeRefusal(open, otherVisitor, false),
      closeRefusal(null, agent, true), closeRefusal(open, agent, false), closeRefusal(open, agent, true)])
      .toEqual([null, null, 'PARLEY_ERR_CONV_NOT_FOUND', 'PARLEY_ERR_CONV_NOT_FOUND', 'PARLEY_ERR_CONV_NOT_JOINED', null])
  })

  it('lets an agent hand on a waiting conversation, or one they take part in', () => {
    expect([mayHandOn(open, false), mayHandOn(closed, false), mayHandOn(closed, true)]).toEqual([true, false, true])
  })

  it('lets an agent note a chat they take part in, open or closed, and any chat still waiting; others are not joined', () => {
    const taken: ConversationFacts = { ...open, assignedAgentId: 'a_2' }
    expect(noteRefusal(null, false)).toBe('PARLEY_ERR_CONV_NOT_FOUND')
    expect([noteRefusal(open, false), noteRefusal(taken, true), noteRefusal(closed, true)]).toEqual([null, null, null])
    expect([noteRefusal(taken, false), noteRefusal(closed, false), noteRefusal({ ...closed, assignedAgentId: null }, false)])
      .toEqual(['PARLEY_ERR_CONV_NOT_JOINED', 'PARLEY_ERR_CONV_NOT_JOINED', 'PARLEY_ERR_CONV_NOT_JOINED'])
  })

  it('stores a transfer note whenever the conversation exists: its author has just handed it on', () => {
    const taken: ConversationFacts = { ...open, assignedAgentId: 'a_2' }
    expect([noteRefusal(taken, false, true), noteRefusal(closed, false, true), noteRefusal(null, false, true)])
      .toEqual([null, null, 'PARLEY_ERR_CONV_NOT_FOUND'])
  })

  it('offers only a conversation that is open and held by nobody', () => {
    expect([waitsForAgent(open), waitsForAgent({ ...open, assignedAgentId: 'a_1' }), waitsForAgent({ ...closed, assignedAgentId: null })])
      .toEqual([true, false, false])
  })

  it('requeues an open chat for one who may hand it on; closed is CONV_CLOSED, others find it not found', () => {
    const taken: ConversationFacts = { ...open, assignedAgentId: 'a_2' }
    expect([requeueRefusal(null, true), requeueRefusal(closed, true), requeueRefusal(taken, false), requeueRefusal(taken, true), requeueRefusal(open, false)])
      .toEqual(['PARLEY_ERR_CONV_NOT_FOUND', 'PARLEY_ERR_CONV_CLOSED', 'PARLEY_ERR_CONV_NOT_FOUND', null, null])
  })

  it('assigns an open chat to a known agent; an accept of a chat another holds is CONV_ASSIGNED, a hand-over is not', () => {
    const taken: ConversationFacts = { ...open, assignedAgentId: 'a_2' }
    const a1 = { id: 'a_1', known: true }
    expect([assignRefusal(null, a1, false), assignRefusal(closed, { id: 'a_9', known: false }, false), assignRefusal(open, { id: 'a_9', known: false }, true)])
      .toEqual(['PARLEY_ERR_CONV_NOT_FOUND', 'PARLEY_ERR_CONV_CLOSED', 'PARLEY_ERR_AGENT_NOT_FOUND'])
    expect([assignRefusal(taken, a1, true), assignRefusal(taken, a1, false), assignRefusal(taken, { id: 'a_2', known: true }, true), assignRefusal(open, a1, true)])
      .toEqual(['PARLEY_ERR_CONV_ASSIGNED', null, null, null])
  })

  it('lets anyone hand on a waiting chat or one they take part in; one someone else holds needs a supervisor or admin', () => {
    const as = (role: Role): Principal => ({ kind: 'agent', brandId: 'b_1', agentId: 'a_1', role, sessionId: 's_1' })
    const taken: ConversationFacts = { ...open, assignedAgentId: 'a_2' }
    expect([handOnDecision(as('agent'), open, false), handOnDecision(as('agent'), taken, true)]).toEqual([null, null])
    expect(handOnDecision(as('agent'), taken, false)).toEqual({ code: 'PARLEY_ERR_AUTH_ROLE', args: ['agent', 'conversation.reassign'] })
    expect([handOnDecision(as('supervisor'), taken, false), handOnDecision(as('admin'), taken, false)]).toEqual([null, null])
  })
})
