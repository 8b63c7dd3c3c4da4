import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { VisitorExport } from '@parley/sdk/contract'
import { buildApp } from '../../../server/src/app.js'
import { createInProcessBus } from '../../../server/src/bus/in-process.js'
import { randomIds, systemClock, type Deps } from '../../../server/src/deps.js'
import { describeWithPostgres, usePostgresStores } from '../../helpers/postgres.js'
import { createTestBrand } from '../../helpers/brand.js'
import { callRest } from '../../helpers/rest.js'
import { expectErrorBody } from '../../helpers/expect-error.js'
import { chattedVisitor } from '../../helpers/data-rights-visitor.js'

// Issue 19's test on a relay over PostgreSQL (test/integration/visitor-export-erase.test.ts is the
// same on SQLite): a visitor who chatted and left an offline form is exported, erased, and exported
// again; nothing of theirs is left but the stubs, and another visitor's export is unchanged.

describeWithPostgres('export, erase, export on PostgreSQL', () => {
  const pg = usePostgresStores()
  let relay: { app: FastifyInstance; deps: Deps; url: string; wsUrl: string }
  beforeAll(async () => {
    const deps: Deps = { store: pg.store, bus: createInProcessBus(), clock: systemClock, ids: randomIds, tokenSecret: Buffer.from('test-secret-test-secret-test-secret!!') }
    const app = await buildApp(deps, { limits: { agentLoginsPerIpPerMinute: 1e6, visitorConversationsPerMinute: 1e6, ipConversationsPerMinute: 1e6 }, logger: false })
    await app.listen({ host: '127.0.0.1', port: 0 })
    const addr = app.server.address()
    const port = typeof addr === 'object' && addr ? addr.port : 0
    relay = { app, deps, url: `http://127.0.0.1:${port}`, wsUrl: `ws://127.0.0.1:${port}/v1/live` }
  })
  afterAll(async () => { await relay?.app.close() })

  it('shows nothing of the visitor after the erasure and leaves another visitor whole', async () => {
    const brand = await createTestBrand(relay)
    const ada = await chattedVisitor(relay, brand, 'Grace Agent')
    const bob = await chattedVisitor(relay, brand, 'Linus Agent')
    const exportOf = (selector: Record<string, string>) => callRest(relay, { method: 'POST', url: '/v1/visitors/export', token: brand.apiKey, body: { selector } })
    const before = await exportOf({ email: ada.email })
    expect(before.status, before.raw).toBe(200)
    for (const w of Object.values(ada.words)) expect(before.raw).toContain(w)
    const bobBefore = await exportOf({ visitorId: bob.visitorId })

    const erased = await callRest(relay, { method: 'POST', url: '/v1/visitors/erase', token: brand.apiKey, body: { selector: { visitorId: ada.visitorId } } })
    expect(erased.status, erased.raw).toBe(200)

    const after = await exportOf({ visitorId: ada.visitorId })
    expect(after.status, after.raw).toBe(200)
    const doc = after.body as VisitorExport
    expect(doc).toMatchObject({ customer: null, visitors: [], consentEvents: [] })
    expect(doc.conversations).toHaveLength(2)
    for (const c of doc.conversations) {
      expect(c).toMatchObject({ erasedAt: erased.body.erasedAt, contact: null, context: null, messages: [] })
      for (const r of c.surveyResponses) expect(r.answers).toEqual({})
    }
    for (const w of [...Object.values(ada.words), 'Ada Lovelace']) expect(after.raw).not.toContain(w)
    expect(after.raw.toLowerCase()).not.toContain(ada.email.toLowerCase())
    expectErrorBody(await exportOf({ email: ada.email }), 'PARLEY_ERR_VISITOR_NOT_FOUND')
    const bobAfter = await exportOf({ visitorId: bob.visitorId })
    expect({ ...bobAfter.body, exportedAt: 0 }).toEqual({ ...bobBefore.body, exportedAt: 0 })
  })
})
