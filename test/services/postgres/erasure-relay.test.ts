import { randomBytes } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { buildApp } from '../../../server/src/app.js'
import { createInProcessBus } from '../../../server/src/bus/in-process.js'
import { randomIds, type Deps } from '../../../server/src/deps.js'
import { describeWithPostgres, usePostgresStores } from '../../helpers/postgres.js'
import { createTestBrand } from '../../helpers/brand.js'
import { connectVisitor, sendAndAck } from '../../helpers/delivery-chat.js'
import { createFakeClock } from '../../helpers/fake-clock.js'
import { fetchRest } from '../../helpers/rest.js'
import type { TestRelay } from '../../helpers/start-relay.js'
import { until } from '../../helpers/until.js'

// Erasure on a relay served by PostgreSQL: at once (the receipt, the messages gone, another
// visitor's kept) and scheduled (run by the sweep once the fake clock passes the grace period).

describeWithPostgres('erasing a visitor on PostgreSQL', () => {
  const pg = usePostgresStores()
  const clock = createFakeClock()
  let app: FastifyInstance
  let relay: TestRelay
  beforeAll(async () => {
    const deps: Deps = { store: pg.store, bus: createInProcessBus(), clock, ids: randomIds, tokenSecret: Buffer.from('test-secret-test-secret-test-secret!!') }
    app = await buildApp(deps, { logger: false, erasureSweepMs: 20, limits: { visitorConversationsPerMinute: 1e6, ipConversationsPerMinute: 1e6 } })
    await app.listen({ host: '127.0.0.1', port: 0 })
    const addr = app.server.address()
    const port = typeof addr === 'object' && addr ? addr.port : 0
    relay = { app, deps, url: `http://127.0.0.1:${port}`, wsUrl: `ws://127.0.0.1:${port}/v1/live`, dataDir: '', close: async () => {} }
  })
  afterAll(async () => { await app.close() })

  async function chat(brand: Awaited<ReturnType<typeof createTestBrand>>, text: string): Promise<{ visitorId: string; convId: string }> {
    const v = await connectVisitor(relay, brand)
    const convId = `c_${randomBytes(6).toString('hex')}`
    await sendAndAck(v.client, convId, 'm1', text)
    return { visitorId: v.visitorId, convId }
  }

  it("erases at once and leaves another visitor's messages", async () => {
    const brand = await createTestBrand(relay)
    const gone = await chat(brand, 'forget this')
    const kept = await chat(brand, 'keep this')
    const res = await fetchRest(relay.url, 'POST', '/v1/visitors/erase', brand.apiKey, { selector: { visitorId: gone.visitorId } })
    expect(res.status).toBe(200)
    expect(res.body.removed).toMatchObject({ conversations: 1, messages: 1, visitors: 1 })
    expect(await pg.store.readMessages(brand.brandId, gone.convId, 0, 10)).toEqual([])
    expect((await pg.store.readMessages(brand.brandId, kept.convId, 0, 10)).map((m) => m.text)).toEqual(['keep this'])
  })

  it('runs a scheduled erasure once the grace period is over', async () => {
    const brand = await createTestBrand(relay)
    const gone = await chat(brand, 'later')
    const res = await fetchRest(relay.url, 'POST', '/v1/visitors/erase', brand.apiKey, { selector: { visitorId: gone.visitorId }, graceDays: 2 })
    expect(res.status).toBe(202)
    clock.advance(2 * 86_400_000 + 1)
    await until(async () => (await fetchRest(relay.url, 'GET', `/v1/erasures/${res.body.requestId}`, brand.apiKey)).body.status === 'done', 'the sweep to run it')
    expect(await pg.store.readMessages(brand.brandId, gone.convId, 0, 10)).toEqual([])
  })
})
