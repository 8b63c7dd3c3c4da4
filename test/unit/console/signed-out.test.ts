import { describe, expect, it } from 'vitest'
import { signedOutMessage } from '../../../widget/src/console/signed-out.js'
import { INITIAL, reduce } from '../../../widget/src/console/state.js'

// Why the console went back to sign-in, in words chosen by the relay's code, and the state that says so.

describe('signed out', () => {
  it.each([
    ['PARLEY_ERR_AUTH_ACCOUNT_INACTIVE', /This account was deactivated/],
    ['PARLEY_ERR_AUTH_SESSION_REVOKED', /You were signed out/],
    ['PARLEY_ERR_AUTH_TOKEN_EXPIRED', /expired/],
    ['PARLEY_ERR_AUTH_REQUIRED', /You were signed out/],
  ])('says %s as %s', (code, text) => {
    expect(signedOutMessage(code)).toMatch(text)
  })

  it('says nothing after a plain sign-out', () => {
    expect(signedOutMessage(null)).toBeNull()
  })

  it('records the code once, keeping the state when it comes again', () => {
    const s = reduce(INITIAL, { type: 'signed-out', code: 'PARLEY_ERR_AUTH_ACCOUNT_INACTIVE' })
    expect(s.signedOut).toBe('PARLEY_ERR_AUTH_ACCOUNT_INACTIVE')
    expect(reduce(s, { type: 'signed-out', code: 'PARLEY_ERR_AUTH_ACCOUNT_INACTIVE' })).toBe(s)
  })
})

describe('role and verified customer in the state', () => {
  it('takes the role from the welcome, and keeps it when a welcome does not say', () => {
    const s = reduce(INITIAL, { type: 'welcome', agentId: 'a_1', agentName: 'Ann', role: 'supervisor' })
    expect(s.role).toBe('supervisor')
    expect(reduce(s, { type: 'welcome', agentId: 'a_1', agentName: 'Ann' }).role).toBe('supervisor')
    expect(reduce(s, { type: 'welcome', agentId: 'a_1', agentName: 'Ann', role: 'agent' }).role).toBe('agent')
  })

  it('keeps the verified customer of a chat joined again without one said', () => {
    const customer = { customerId: 'cust-7', name: 'Ann', email: 'ann@example.com', verifiedAt: 1 }
    const joined = reduce(INITIAL, { type: 'chat', convId: 'c_1', visitorId: 'v_1', context: null, closed: false, customer })
    expect(joined.chats.c_1!.customer).toEqual(customer)
    expect(reduce(joined, { type: 'chat', convId: 'c_1', visitorId: 'v_1', context: null, closed: false }).chats.c_1!.customer).toEqual(customer)
    expect(reduce(joined, { type: 'chat', convId: 'c_1', visitorId: 'v_1', context: null, closed: false, customer: null }).chats.c_1!.customer).toBeNull()
  })
})
