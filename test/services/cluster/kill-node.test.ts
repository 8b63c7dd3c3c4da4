import { expect, it } from 'vitest'
import type { MessageNew, StoredMessage } from '@parley/sdk/contract'
import { describeWithPostgres } from '../../helpers/postgres.js'
import { drainOutbox, openCrossNodeChat, useClusterOnPrivateRedis } from '../../helpers/process-cluster.js'
import type { CliBrand, RelayProcess } from '../../helpers/relay-process.js'
import type { LiveClient } from '../../helpers/live-client.js'
import { fetchRest } from '../../helpers/rest.js'
import { until } from '../../helpers/until.js'

// Two relay nodes as processes on PostgreSQL + Redis: a visitor on node A, an agent on node B. Node
// A dies (SIGKILL) mid-chat; the visitor's client reconnects to node B and resumes. Nothing is lost
// and nothing doubled: both sides hold exactly what the database holds, seq by seq.

/** What a client holds of a conversation, as (seq, clientMsgId, text), in seq order. */
function held(client: LiveClient, convId: string): [number, string, string][] {
  return client.messages.filter((m: MessageNew) => m.convId === convId).sort((x, y) => x.seq - y.seq).map((m) => [m.seq, m.clientMsgId, m.text])
}

/** What the database holds of a conversation, read over REST on `node`. */
async function stored(node: RelayProcess, brand: CliBrand, convId: string): Promise<[number, string, string][]> {
  const res = await fetchRest(node.url, 'GET', `/v1/conversations/${convId}/messages?limit=1000`, brand.apiKey)
  expect(res.status).toBe(200)
  return (res.body.messages as StoredMessage[]).map((m) => [m.seq, m.clientMsgId, m.text])
}

/** Resolves once `client` has sent everything in its outbox (every message acked). */
const drained = (client: LiveClient) => drainOutbox(client, 20_000)

describeWithPostgres('two relay nodes on PostgreSQL and Redis, one killed mid-chat', () => {
  const started = useClusterOnPrivateRedis()

  it('loses and doubles nothing when the visitor\'s node dies and the visitor resumes on the other', async () => {
    // The opening travels from node A to the agent on node B through Redis.
    const { a, b, brand, visitor, agent, convId } = await openCrossNodeChat(started().cluster, 'v1: hello from node A', 20_000)
    try {
      for (const node of [a, b]) expect(node.logs).toContainEqual(expect.objectContaining({ msg: 'relay listening', store: 'postgres', cluster: true }))
      for (const text of ['v2: my order', 'v3: is late']) await visitor.conn.send(convId, text)
      await agent.conn.send(convId, 'a1: let me look')
      await until(() => visitor.texts(convId).includes('a1: let me look'), 'agent reply on node A')

      // Mid-chat: two messages leave, and node A dies before (or while) it answers them.
      await visitor.conn.send(convId, 'v4: order 1234')
      await visitor.conn.send(convId, 'v5: still there?')
      await a.kill('SIGKILL')
      visitor.redirect = `${b.wsUrl}?site=${brand.siteKey}`
      await drained(visitor)
      await agent.conn.send(convId, 'a2: found it, it ships today')
      await visitor.conn.send(convId, 'v6: thanks')
      await drained(agent)
      await drained(visitor)

      const truth = await stored(b, brand, convId)
      expect(truth.map(([seq]) => seq)).toEqual(truth.map((_, i) => i + 1))
      expect(new Set(truth.map(([, id]) => id)).size).toBe(truth.length)
      expect(truth.map(([, , text]) => text).sort()).toEqual([
        'a1: let me look', 'a2: found it, it ships today',
        'v1: hello from node A', 'v2: my order', 'v3: is late', 'v4: order 1234', 'v5: still there?', 'v6: thanks',
      ])
      await until(() => held(visitor, convId).length === truth.length && held(agent, convId).length === truth.length, 'both sides caught up', 20_000)
      expect(held(visitor, convId)).toEqual(truth)
      expect(held(agent, convId)).toEqual(truth)
    } finally {
      await visitor.conn.stop()
      await agent.conn.stop()
    }
  })
})
