import { expect, it } from 'vitest'
import type { MessageNew, StoredMessage } from '@parley/sdk/contract'
import { describeWithPostgres } from '../../helpers/postgres.js'
import { drainOutbox, openCrossNodeChat, useClusterOnPrivateRedis } from '../../helpers/process-cluster.js'
import type { LiveClient } from '../../helpers/live-client.js'
import { fetchRest } from '../../helpers/rest.js'
import { until } from '../../helpers/until.js'

// The bus is a hint, the store the truth: Redis restarted (empty) mid-chat between two relay
// processes loses nothing. Messages sent while it is down are stored and acked; the nodes
// re-subscribe when it is back and the clients catch up through resume.

function held(client: LiveClient, convId: string): [number, string][] {
  return client.messages.filter((m: MessageNew) => m.convId === convId).sort((x, y) => x.seq - y.seq).map((m) => [m.seq, m.text])
}

describeWithPostgres('two relay nodes when Redis restarts mid-chat', () => {
  const started = useClusterOnPrivateRedis()

  it('loses nothing: both sides end with every stored message', async () => {
    const { redis, cluster } = started()
    const { b, brand, visitor, agent, convId } = await openCrossNodeChat(cluster, 'before 1', 30_000)
    const drained = (c: LiveClient) => drainOutbox(c, 30_000)
    try {
      await agent.conn.send(convId, 'before 2')
      await until(() => visitor.texts(convId).includes('before 2'), 'reply across nodes')

      await redis.stop()
      await visitor.conn.send(convId, 'while Redis is down 1')
      await agent.conn.send(convId, 'while Redis is down 2')
      await Promise.all([drained(visitor), drained(agent)])
      await redis.start()

      await visitor.conn.send(convId, 'after 1')
      await agent.conn.send(convId, 'after 2')
      await Promise.all([drained(visitor), drained(agent)])
      const res = await fetchRest(b.url, 'GET', `/v1/conversations/${convId}/messages?limit=1000`, brand.apiKey)
      const truth = (res.body.messages as StoredMessage[]).map((m) => [m.seq, m.text] as [number, string])
      expect(truth.map(([, t]) => t).sort()).toEqual(['after 1', 'after 2', 'before 1', 'before 2', 'while Redis is down 1', 'while Redis is down 2'])
      expect(truth.map(([seq]) => seq)).toEqual([1, 2, 3, 4, 5, 6])
      await until(() => held(visitor, convId).length === 6 && held(agent, convId).length === 6, 'both sides caught up', 30_000)
      expect(held(visitor, convId)).toEqual(truth)
      expect(held(agent, convId)).toEqual(truth)
    } finally {
      await visitor.conn.stop()
      await agent.conn.stop()
    }
  })
})
