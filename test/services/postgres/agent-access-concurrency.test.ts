import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Role } from '@parley/sdk/contract'
import type { Store } from '../../../server/src/store/store.js'
import { describeWithPostgres, usePostgresStores } from '../../helpers/postgres.js'

// Two relay nodes changing one brand's admins at once: every admin demoted or deactivated at the
// same moment, from both nodes. The row locks of setAgentAccess must order them so the brand keeps
// exactly one active admin, and a deactivation's session revocation commits with it or not at all.

const ROUNDS = 10
const id = (prefix: string) => `${prefix}${randomBytes(6).toString('hex')}`

describeWithPostgres('PostgreSQL store: account changes on two nodes', () => {
  let nodes: [Store, Store]
  let admin: pg.Client
  const suite = usePostgresStores({ nodes: 2 })
  beforeAll(async () => {
    nodes = suite.nodes as [Store, Store]
    admin = new pg.Client({ connectionString: suite.db.adminUrl })
    await admin.connect()
  })
  afterAll(async () => {
    await admin?.end()
  })

  /** A brand with `n` accounts of `role`, each with one working session. */
  async function brandWith(n: number, role: Role): Promise<{ brandId: string; agentIds: string[] }> {
    const brandId = id('b_')
    await nodes[0].createBrand({ brandId, name: brandId, siteKey: id('s_'), allowedOrigins: [], apiKeyHash: id('h_'), createdAt: 0 })
    const agentIds: string[] = []
    for (let i = 0; i < n; i++) {
      const agentId = id('a_')
      await nodes[0].createAgent({ brandId, agentId, email: `${agentId}@agents.example`, name: agentId, passwordHash: 'x', createdAt: 0, role })
      await nodes[0].createSession({ brandId, sessionId: id('s_'), agentId, createdAt: 0, lastSeenAt: 0, expiresAt: 10_000, revokedAt: null, address: null, userAgent: null })
      agentIds.push(agentId)
    }
    return { brandId, agentIds }
  }

  const activeAdmins = async (brandId: string) => (await admin.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM agents WHERE brand_id = $1 AND role = 'admin' AND active`, [brandId])).rows[0]!.n

  it('leaves exactly one active admin when every admin is demoted at once', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { brandId, agentIds } = await brandWith(4, 'admin')
      const results = await Promise.all(agentIds.map((agentId, i) => nodes[i % 2]!.setAgentAccess(brandId, agentId, { role: 'supervisor' }, 100)))
      expect(results.filter((r) => r.ok)).toHaveLength(3)
      expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.code)).toEqual(['PARLEY_ERR_AUTH_LAST_ADMIN'])
      expect(await activeAdmins(brandId)).toBe(1)
    }
  })

  it('leaves exactly one active admin, with its sessions working, when every admin is deactivated at once', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { brandId, agentIds } = await brandWith(3, 'admin')
      const results = await Promise.all(agentIds.map((agentId, i) => nodes[i % 2]!.setAgentAccess(brandId, agentId, { active: false }, 100)))
      expect(await activeAdmins(brandId)).toBe(1)
      for (const [i, r] of results.entries()) {
        const working = await nodes[1].listSessions(brandId, { agentId: agentIds[i], activeAt: 100 })
        if (r.ok) {
          expect(r.revokedSessions).toHaveLength(1)
          expect(working).toEqual([])
        } else {
          expect(r.code).toBe('PARLEY_ERR_AUTH_LAST_ADMIN')
          expect(working).toHaveLength(1)
        }
      }
    }
  })

  it('lets a demotion and a promotion at once keep an admin whichever goes first', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { brandId, agentIds: [boss] } = await brandWith(1, 'admin')
      const helper = id('a_')
      await nodes[0].createAgent({ brandId, agentId: helper, email: `${helper}@agents.example`, name: 'h', passwordHash: 'x', createdAt: 0, role: 'agent' })
      const [demoted, promoted] = await Promise.all([
        nodes[0].setAgentAccess(brandId, boss!, { role: 'agent' }, 100),
        nodes[1].setAgentAccess(brandId, helper, { role: 'admin' }, 100),
      ])
      expect(promoted.ok).toBe(true)
      // Refused when it went first (the only admin then); allowed after the promotion committed.
      expect(await activeAdmins(brandId)).toBe(demoted.ok ? 1 : 2)
    }
  })
})
