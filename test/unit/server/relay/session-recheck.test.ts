import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Role } from '@parley/sdk/contract'
import { createSqliteStore } from '../../../../server/src/store/sqlite/sqlite-store.js'
import type { Store } from '../../../../server/src/store/store.js'
import type { Principal } from '../../../../server/src/auth/policy.js'
import type { OpenSession } from '../../../../server/src/relay/context.js'
import { recheckSessions } from '../../../../server/src/relay/session-recheck.js'
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

describe('rechecking the sessions of open agent connections', () => {
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

  it('skips visitors and connections still saying hello', async () => {
    const visitor = connection({ kind: 'visitor', brandId, visitorId: 'v_1' }, 'vs_1')
    const hello = connection({ kind: 'agent', brandId, agentId: 'a_none', role: 'agent', sessionId: 's_none' }, 's_none', false)
    await recheckSessions([visitor, hello], { store, now: () => NOW })
    expect([visitor.failed, hello.failed]).toEqual([[], []])
  })

  it('closes nothing when the store fails, and says so', async () => {
    const { conn } = await signedIn()
    const errors: string[] = []
    const failing = { ...store, getSession: () => Promise.reject(new Error('store down')) } as Store
    await recheckSessions([conn], { store: failing, now: () => NOW, onError: (err) => errors.push((err as Error).message) })
    expect([conn.failed, errors]).toEqual([[], ['store down']])
  })
})
