import { describe, expect, it } from 'vitest'
import type { Principal } from '../../../../server/src/auth/policy.js'
import { createInProcessBus } from '../../../../server/src/bus/in-process.js'
import type { OpenSession } from '../../../../server/src/relay/context.js'
import { dropErasedVisitors, erasedConnections } from '../../../../server/src/relay/erased-visitors.js'
import { SenderTails } from '../../../../server/src/relay/sender-tails.js'
import { SharedStrings } from '../../../../server/src/relay/shared-strings.js'
import { until } from '../../../helpers/until.js'

// What a node does when it hears that a visitor was erased: it closes the visitor's connections
// (every tab of their visits), ends those visits, and forgets the erased conversations' tails and
// the context strings shared between visitors.

function connection(brandId: string, principal: Principal, sessionId: string | null): OpenSession & { failed: string[] } {
  const failed: string[] = []
  return {
    brandId, principal, sessionId, isAuthenticated: true, failed, ws: null as unknown as OpenSession['ws'],
    checkAlive: () => true, quiesce() {}, setRole() {}, fail(code) { failed.push(code) },
  }
}
const visitor = (brandId: string, visitorId: string, sid: string | null) => connection(brandId, { kind: 'visitor', brandId, visitorId }, sid)
const agent = (brandId: string) => connection(brandId, { kind: 'agent', brandId, agentId: 'a_1', role: 'admin', sessionId: 's_1' }, 's_1')

describe('connections of erased visitors', () => {
  it("picks the erased visitors' connections of that brand and every tab of their visits, no one else's", () => {
    const erased = visitor('b_1', 'v_1', 'vs_1')
    const anonTab = visitor('b_1', 'v_anon', 'vs_1')
    const noSid = visitor('b_1', 'v_1', null)
    const other = visitor('b_1', 'v_2', 'vs_2')
    const elsewhere = visitor('b_2', 'v_1', 'vs_1')
    const watching = agent('b_1')
    const e = { kind: 'visitor-erased' as const, brandId: 'b_1', visitorIds: ['v_1'], convIds: ['c_1'] }
    expect(erasedConnections(e, [erased, anonTab, noSid, other, elsewhere, watching])).toEqual([erased, anonTab, noSid])
  })

  it('closes them as signed out, ends each visit once and forgets the tails when the note arrives', async () => {
    const bus = createInProcessBus()
    const tails = new SenderTails()
    tails.set('c_1', 'visitor:v_1', { brandId: 'b_1', tail: 'my address', seq: 1 })
    const strings = new SharedStrings()
    strings.share({ url: 'https://shop.example/orders/4242' })
    const tabs = [visitor('b_1', 'v_1', 'vs_1'), visitor('b_1', 'v_1', 'vs_1')]
    const ended: string[] = []
    const stop = dropErasedVisitors(bus, new Set(tabs), { senderTails: tails, sharedStrings: strings, endVisit: async (brandId, sid) => { ended.push(`${brandId}/${sid}`) } })
    bus.publishToNodes({ kind: 'visitor-erased', brandId: 'b_1', visitorIds: ['v_1'], convIds: ['c_1'] })
    expect(tabs.map((t) => t.failed)).toEqual([['PARLEY_ERR_AUTH_SESSION_REVOKED'], ['PARLEY_ERR_AUTH_SESSION_REVOKED']])
    await until(() => ended.length === 1, 'the visit ended')
    expect(ended).toEqual(['b_1/vs_1'])
    expect(tails.peek('b_1', 'c_1', 'visitor:v_1')).toBeUndefined()
    expect(strings.size).toBe(0)
    stop()
    await bus.close()
  })
})
