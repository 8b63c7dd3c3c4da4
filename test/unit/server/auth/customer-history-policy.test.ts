import { describe, expect, it } from 'vitest'
import type { Role } from '@parley/sdk/contract'
import { decide, type ConversationResource, type Principal } from '../../../../server/src/auth/policy.js'

// conversation.read of a verified customer's earlier conversation, which the asking agent never took
// part in, but whose customer they serve: the role or the brand's setting decides.

const agent = (role: Role): Principal => ({ kind: 'agent', brandId: 'b', agentId: 'a', role, sessionId: 's' })
const conv = (ofServedCustomer: boolean): ConversationResource => ({ convId: 'c', visitorId: 'v', tookPart: false, waiting: false, ofServedCustomer })
const ON = { agentsSeeCustomerHistory: true }
const OFF = { agentsSeeCustomerHistory: false }

describe('a served customer\'s history in the policy', () => {
  it.each([
    ['agent', true, ON, null],
    ['agent', true, OFF, 'PARLEY_ERR_AUTH_NOT_PARTICIPANT'],
    ['agent', false, ON, 'PARLEY_ERR_AUTH_NOT_PARTICIPANT'],
    ['supervisor', false, OFF, null],
    ['admin', false, OFF, null],
  ] as const)('answers a %s reading one (served customer: %s) %o with %s', (role, served, settings, code) => {
    expect(decide(agent(role), 'conversation.read', conv(served), settings)?.code ?? null).toBe(code)
  })

  it('gives a visitor another visitor\'s conversation as not found, served customer or not', () => {
    expect(decide({ kind: 'visitor', brandId: 'b', visitorId: 'w' }, 'conversation.read', conv(true), ON)?.code).toBe('PARLEY_ERR_CONV_NOT_FOUND')
  })
})
