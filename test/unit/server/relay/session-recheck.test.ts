import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Role } from '@parley/sdk/contract'
import { createSqliteStore } from '../../../../server/src/store/sqlite/sqlite-store.js'
import type { Store } from '../../../../server/src/store/store.js'
import type { Principal } from '../../../../server/src/auth/policy.js'
import type { OpenSession } from '../../../../server/src/relay/context.js'
import { recheckSessions, startSessionRecheck } from '../../../../server/src/relay/session-recheck.js'
import { until } from '../../../helpers/until.js'
import { createStoreBrand } from '../../../helpers/brand.js'
import { tempDir } from '../../../helpers/temp-dir.js'

// The periodic net under the sessions-revoked note: each open agent connection's session and account
// are read again from a real store; what a new hello would refuse is closed with the same code, a
// changed role is taken in place, and a store that fails closes nothing.

const NOW = 1_000_000

interface FakeConnection extends OpenSession { failed: string[]; roles: Role[] }

function connection(first: Principal, sessionId: string | null, isAuthenticated = true): FakeConnection {
  let principal = first
  const c: FakeConnection = {
    brandId: first.brandId, sessionId, isAuthenticated, failed: [], roles: [], ws: null as unknown as OpenSession['ws'],
    get principal() { return principal },
    checkAlive: () => true, quiesce() {},
    fail(code) { c.failed.push(code) },
    setRole(role) { c.roles.push(role); if (principal.kind === 'agent') principal = { ...principal, role } },
  }
  return c
}

describe('rechecking the sessions of open connections', () => {
  const dir = tempDir('parley-recheck-')
  let store: Store
  let brandId: string
  beforeAll(async () => {
    store = createSqliteStore({ file: join(dir.dir, 'parley.db') })
    brandId = await createStoreBrand(store)
  })
  afterAll(async () => { await store.close(); dir.remove() })

  let n = 0
  /** An account of `role` with one session (expiring at `expiresAt`), and a connection using it. */
  async function signedIn(role: Role = 'agent', expiresAt = NOW + 60_000) {
    const agentId = `a_${++n}`
    await store.createAgent({ brandId, agentId, email: `${agentId}@agents.example`, name: agentId, passwordHash: 'x', createdAt: 1, role })
    const sessionId = `s_${n}`
    await store.createSession({ brandId, sessionId, agentId, createdAt: 1, lastSeenAt: 1, expiresAt, revokedAt: null, address: null, userAgent: null })
    return { agentId, sessionId, conn: connection({ kind: 'agent', brandId, agentId, role, sessionId }, sessionId) }
  }

  it('leaves a working session open and unchanged', async () => {
    const { conn } = await signedIn()
    await recheckSessions([conn], { store, now: () => NOW })
    expect([conn.failed, conn.roles]).toEqual([[], []])
  })

  it('closes every connection of a revoked session with PARLEY_ERR_AUTH_SESSION_REVOKED', async () => {
    const { sessionId, conn } = await signedIn()
    const tab = connection(conn.principal, sessionId)
    await store.revokeSession(brandId, sessionId, NOW - 1)
    await recheckSessions([conn, tab], { store, now: () => NOW })
    expect([conn.failed, tab.failed]).toEqual([['PARLEY_ERR_AUTH_SESSION_REVOKED'], ['PARLEY_ERR_AUTH_SESSION_REVOKED']])
  })

  it('closes an expired session with PARLEY_ERR_AUTH_TOKEN_EXPIRED', async () => {
    const { conn } = await signedIn('agent', NOW)
    await recheckSessions([conn], { store, now: () => NOW })
    expect(conn.failed).toEqual(['PARLEY_ERR_AUTH_TOKEN_EXPIRED'])
  })

  it('takes a changed role in place, and closes nothing for it', async () => {
    const { agentId, conn } = await signedIn('agent')
    await signedIn('admin') // the brand keeps an admin whatever happens to the others
    expect((await store.setAgentAccess(brandId, agentId, { role: 'supervisor' }, NOW)).ok).toBe(true)
    await recheckSessions([conn], { store, now: () => NOW })
    expect([conn.failed, conn.roles, conn.principal]).toEqual([[], ['supervisor'], expect.objectContaining({ role: 'supervisor' })])
  })

  it('skips visitors whose visit goes on, and connections still saying hello', async () => {
    const visitor = connection({ kind: 'visitor', brandId, visitorId: 'v_1' }, 'vs_1')
    const noSid = connection({ kind: 'visitor', brandId, visitorId: 'v_1' }, null)
    const hello = connection({ kind: 'agent', brandId, agentId: 'a_none', role: 'agent', sessionId: 's_none' }, 's_none', false)
    await recheckSessions([visitor, noSid, hello], { store, now: () => NOW })
    expect([visitor.failed, noSid.failed, hello.failed]).toEqual([[], [], []])
  })

  it('closes every tab of an ended visit with PARLEY_ERR_AUTH_SESSION_REVOKED, reading the store once per visit', async () => {
    await store.endVisit(brandId, 'vs_ended', NOW + 60_000)
    const tabs = [connection({ kind: 'visitor', brandId, visitorId: 'v_c' }, 'vs_ended'), connection({ kind: 'visitor', brandId, visitorId: 'v_a' }, 'vs_ended')]
    const going = connection({ kind: 'visitor', brandId, visitorId: 'v_c' }, 'vs_going')
    let reads = 0
    const counting = { ...store, isTokenIdRevoked: (...a: Parameters<Store['isTokenIdRevoked']>) => { reads++; return store.isTokenIdRevoked(...a) } } as Store
    await recheckSessions([...tabs, going], { store: counting, now: () => NOW })
    expect([tabs[0]!.failed, tabs[1]!.failed, going.failed, reads]).toEqual([['PARLEY_ERR_AUTH_SESSION_REVOKED'], ['PARLEY_ERR_AUTH_SESSION_REVOKED'], [], 2])
  })

  it('runs a pass at once when the bus reports a gap', async () => {
    await store.endVisit(brandId, 'vs_gap', NOW + 60_000)
    const tab = connection({ kind: 'visitor', brandId, visitorId: 'v_g' }, 'vs_gap')
    let gap: ((brands: 'all') => void) | undefined
    const bus = { onGap: (h: (brands: 'all') => void) => { gap = h; return () => { gap = undefined } } }
    const stop = startSessionRecheck(new Set([tab]), { store, now: () => NOW, bus }, 3_600_000)
    gap!('all')
    await until(() => tab.failed.length > 0, 'the gap pass')
    stop()
    expect([tab.failed, gap]).toEqual([['PARLEY_ERR_AUTH_SESSION_REVOKED'], undefined])
  })

  it('closes nothing when the store fails, and says so', async () => {
    const { conn } = await signedIn()
    const errors: string[] = []
    const failing = { ...store, getSession: () => Promise.reject(new Error('store down')) } as Store
    await recheckSessions([conn], { store: failing, now: () => NOW, onError: (err) => errors.push((err as Error).message) })
    expect([conn.failed, errors]).toEqual([[], ['store down']])
  })
})
