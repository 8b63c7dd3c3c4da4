import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createRedisPresence, type ClusterPresence } from '../../../server/src/cluster/redis-presence.js'
import { systemClock } from '../../../server/src/deps.js'
import { describeWithRedis, REDIS_URL } from '../../helpers/redis.js'

// A node reaped after a stall (or whose share Redis lost) writes its share back on its next
// heartbeat: the agents that brings back online must be announced, as the reap announced them offline.

describeWithRedis('Cluster presence written back', () => {
  let redis: Redis
  const opened: ClusterPresence[] = []
  beforeAll(() => { redis = new Redis(REDIS_URL) })
  afterAll(async () => {
    await Promise.all(opened.map((p) => p.close()))
    await redis.quit()
  })

  function presence(prefix: string, nodeId: string): ClusterPresence {
    const p = createRedisPresence({ redis, nodeId, clock: systemClock, prefix, ttlMs: 60_000 })
    opened.push(p)
    return p
  }

  /** Deletes the node's share as another node's reap does. */
  async function reap(prefix: string, nodeId: string, brandId: string): Promise<void> {
    await redis.zrem(`${prefix}nodes`, nodeId)
    await redis.del(`${prefix}n:${nodeId}:${brandId}`, `${prefix}n:${nodeId}`)
  }

  it('announces the agents a reaped node brings back online', async () => {
    const prefix = `test:{presence-${randomBytes(4).toString('hex')}}:`
    const a = presence(prefix, 'a')
    const found: string[] = []
    a.onChange?.((brandId, agentId) => found.push(`${brandId}/${agentId}`))
    await a.connected('b1', 'dana', 1000)
    await reap(prefix, 'a', 'b1')
    expect((await a.get('b1', 'dana')).online).toBe(false)

    await a.heartbeat()
    expect((await a.get('b1', 'dana')).online).toBe(true)
    expect(found).toEqual(['b1/dana'])
  })

  it('announces nobody when the agents were online all along', async () => {
    const prefix = `test:{presence-${randomBytes(4).toString('hex')}}:`
    const a = presence(prefix, 'a')
    const b = presence(prefix, 'b')
    const found: string[] = []
    a.onChange?.((brandId, agentId) => found.push(`${brandId}/${agentId}`))
    await a.connected('b1', 'dana', 1000)
    await b.connected('b1', 'dana', 1000)
    await a.connected('b1', 'eli', 1000)
    await a.rewriteShare()
    await reap(prefix, 'a', 'b1')
    await a.heartbeat()
    // Dana had a connection on b all along; Eli came back.
    expect(found).toEqual(['b1/eli'])
  })
})
