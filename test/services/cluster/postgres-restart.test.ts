import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeWithPostgres } from '../../helpers/postgres.js'
import { privatePostgresMissing, startPostgresInstance, type PostgresInstance } from '../../helpers/postgres-instance.js'
import { startPrivateRedis, type PrivateRedis } from '../../helpers/redis.js'
import { startProcessCluster, type ProcessCluster } from '../../helpers/process-cluster.js'
import { killRelayProcesses } from '../../helpers/relay-process.js'
import { TestClient } from '../../helpers/ws-client.js'
import { fetchRest } from '../../helpers/rest.js'
import { expectErrorFrame, expectErrorStatusAndBody } from '../../helpers/expect-error.js'
import { until } from '../../helpers/until.js'

// PostgreSQL restarted under a running relay (a private server: the machine's is shared and never
// restarted). Meanwhile every edge answers the typed, retryable PARLEY_ERR_SERVER_STORE; once the
// server is back the same relay process serves again, without a restart.

const missing = privatePostgresMissing()

describeWithPostgres('a relay process while PostgreSQL restarts', () => {
  let pg: PostgresInstance
  let redis: PrivateRedis
  let cluster: ProcessCluster
  beforeAll(async () => {
    if (missing) return
    pg = await startPostgresInstance()
    redis = await startPrivateRedis()
    cluster = await startProcessCluster({ redisUrl: redis.url, adminUrl: pg.adminUrl })
  })
  afterAll(async () => {
    await killRelayProcesses()
    await cluster?.close().catch(() => {})
    await redis?.close()
    await pg?.close()
  })

  it.skipIf(missing !== null)('answers PARLEY_ERR_SERVER_STORE while the database is down and recovers by itself', async () => {
    const node = await cluster.startNode('node-a')
    const brand = await cluster.createBrand(['https://cluster-shop.example'])
    const { client } = await TestClient.visitor(node.wsUrl, brand.siteKey)
    client.send({ type: 'message.send', convId: 'pg-restart', clientMsgId: 'm1', text: 'before the restart' })
    expect((await client.next('message.ack')).seq).toBe(1)

    await pg.stop('fast')
    client.send({ type: 'message.send', convId: 'pg-restart', clientMsgId: 'm2', text: 'while it is down' })
    expectErrorFrame(await client.error('PARLEY_ERR_SERVER_STORE', 20_000), 'PARLEY_ERR_SERVER_STORE')
    const readyz = await fetch(`${node.url}/readyz`)
    expectErrorStatusAndBody(readyz.status, await readyz.json(), 'PARLEY_ERR_SERVER_STORE')
    const listing = await fetchRest(node.url, 'GET', '/v1/conversations', brand.apiKey)
    expectErrorStatusAndBody(listing.status, listing.body, 'PARLEY_ERR_SERVER_STORE')
    const refused = await TestClient.visitor(node.wsUrl, brand.siteKey).then(() => null, (err: { status?: number; body?: unknown }) => err)
    expectErrorStatusAndBody(refused!.status!, refused!.body, 'PARLEY_ERR_SERVER_STORE')

    await pg.start()
    await until(async () => (await fetch(`${node.url}/readyz`)).status === 200, 'ready again', 30_000)
    // The client sends again what was refused (its outbox would): stored once, after m1.
    client.send({ type: 'message.send', convId: 'pg-restart', clientMsgId: 'm2', text: 'while it is down' })
    expect((await client.next('message.ack', (a) => a.clientMsgId === 'm2')).seq).toBe(2)
    const fresh = await TestClient.visitor(node.wsUrl, brand.siteKey)
    fresh.client.send({ type: 'message.send', convId: 'pg-after', clientMsgId: 'n1', text: 'a new visitor' })
    expect((await fresh.client.next('message.ack')).seq).toBe(1)
    const stored = await fetchRest(node.url, 'GET', '/v1/conversations/pg-restart/messages', brand.apiKey)
    expect(stored.body.messages.map((m: { text: string }) => m.text)).toEqual(['before the restart', 'while it is down'])
    expect(node.child.exitCode).toBeNull()
    client.close()
    fresh.client.close()
  })
})
