import { describe, expect, it } from 'vitest'
import type { Principal } from '../../../../server/src/auth/policy.js'
import { createInProcessBus } from '../../../../server/src/bus/in-process.js'
import { endSessions, endVisitorSession } from '../../../../server/src/auth/session-revocation.js'
import type { OpenSession } from '../../../../server/src/relay/context.js'
import { closeRevokedConnections, connectionsEnded } from '../../../../server/src/relay/revoked-connections.js'

// Which open connections an ended-session note closes: exactly those of the named sessions, of
// that brand and kind; never a connection still saying hello.

function connection(brandId: string, principal: Principal, sessionId: string | null, isAuthenticated = true): OpenSession & { failed: string[] } {
  const failed: string[] = []
  return {
    brandId, principal, sessionId, isAuthenticated, failed, ws: null as unknown as OpenSession['ws'],
    checkAlive: () => true, quiesce() {}, setRole() {}, fail(code) { failed.push(code) },
  }
}

const agent = (brandId: string, sessionId: string) => connection(brandId, { kind: 'agent', brandId, agentId: 'a_1', role: 'agent', sessionId }, sessionId)
const visitor = (brandId: string, visitorId: string, sid: string | null) => connection(brandId, { kind: 'visitor', brandId, visitorId }, sid)

describe('connections of ended sessions', () => {
  it("picks the agent connections of the revoked sessions of that brand, not another brand's with the same id", () => {
    const mine = agent('b_1', 's_1')
    const tab = agent('b_1', 's_1')
    const kept = agent('b_1', 's_2')
    const elsewhere = agent('b_2', 's_1')
    expect(connectionsEnded({ kind: 'sessions-revoked', brandId: 'b_1', sessionIds: ['s_1', 's_9'] }, [mine, tab, kept, elsewhere])).toEqual([mine, tab])
  })

  it("picks a visitor's connections using the ended visitor session only, never an agent's with that id", () => {
    const ended = visitor('b_1', 'v_1', 'vs_1')
    const newer = visitor('b_1', 'v_1', 'vs_2')
    const noSid = visitor('b_1', 'v_1', null)
    const sameIdAgent = agent('b_1', 'vs_1')
    const elsewhere = visitor('b_2', 'v_1', 'vs_1')
    expect(connectionsEnded({ kind: 'visitor-session-ended', brandId: 'b_1', visitorId: 'v_1', sessionId: 'vs_1' }, [ended, newer, noSid, sameIdAgent, elsewhere])).toEqual([ended])
  })

  it('picks every tab of the ended visit, the ones still on the anonymous visitor too', () => {
    const identified = visitor('b_1', 'v_customer', 'vs_1')
    const notYet = visitor('b_1', 'v_anon', 'vs_1')
    expect(connectionsEnded({ kind: 'visitor-session-ended', brandId: 'b_1', visitorId: 'v_customer', sessionId: 'vs_1' }, [identified, notYet])).toEqual([identified, notYet])
  })

  it('ignores connections still saying hello and other node notes', () => {
    const hello = connection('b_1', undefined as unknown as Principal, null, false)
    expect(connectionsEnded({ kind: 'sessions-revoked', brandId: 'b_1', sessionIds: ['s_1'] }, [hello])).toEqual([])
    expect(connectionsEnded({ kind: 'brand-document-saved', brandId: 'b_1', document: 'security' }, [agent('b_1', 's_1')])).toEqual([])
  })

  it('closes them with PARLEY_ERR_AUTH_SESSION_REVOKED as soon as endSessions or endVisitorSession publishes', () => {
    const bus = createInProcessBus()
    const a = agent('b_1', 's_1')
    const v = visitor('b_1', 'v_1', 'vs_1')
    const other = agent('b_1', 's_2')
    const stop = closeRevokedConnections(bus, new Set([a, v, other]))
    endSessions(bus, 'b_1', ['s_1'])
    endVisitorSession(bus, 'b_1', 'v_1', 'vs_1')
    endSessions(bus, 'b_1', [])
    expect([a.failed, v.failed, other.failed]).toEqual([['PARLEY_ERR_AUTH_SESSION_REVOKED'], ['PARLEY_ERR_AUTH_SESSION_REVOKED'], []])
    stop()
    endSessions(bus, 'b_1', ['s_2'])
    expect(other.failed).toEqual([])
  })
})
