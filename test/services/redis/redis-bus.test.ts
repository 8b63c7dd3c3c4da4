import { Redis } from 'ioredis'
import { afterEach, expect, it } from 'vitest'
import type { Bus, BusEvent, GapBrands } from '../../../server/src/bus/bus.js'
import { createRedisBus } from '../../../server/src/cluster/redis-bus.js'
import { MAX_ENVELOPE_EVENTS } from '../../../server/src/cluster/bus-envelope.js'
import { connectRedis } from '../../../server/src/cluster/redis-connection.js'
import { describeWithRedis, REDIS_URL, startPrivateRedis, testRedisPrefix, type PrivateRedis } from '../../helpers/redis.js'
import { until } from '../../helpers/until.js'

// The bus between two nodes: what a node does with junk on its channel, and how dropped publishes
// reach the other nodes as a gap naming their brands.

const event = (brandId: string, convId: string): BusEvent => ({
  brandId, audience: { kind: 'conversation', convId, visitorId: 'v' }, frame: { type: 'typing.start', convId } as unknown as BusEvent['frame'],
})

describeWithRedis('the Redis bus', () => {
  const open: (Bus | Redis | PrivateRedis)[] = []
  afterEach(async () => {
    for (const x of open.splice(0).reverse()) {
      if (x instanceof Redis) x.disconnect()
      else await x.close()
    }
  })

  it('drops junk on its channel without crashing, reports it once, and still delivers the events after it', async () => {
    const prefix = testRedisPrefix()
    const errors: string[] = []
    const a = await createRedisBus({ url: REDIS_URL, nodeId: 'a', prefix })
    const b = await createRedisBus({ url: REDIS_URL, nodeId: 'b', prefix, onError: (_err, what) => errors.push(what) })
    const raw = new Redis(REDIS_URL)
    open.push(a, b, raw)
    const got: BusEvent[] = []
    b.subscribe((e) => got.push(e))
    for (const junk of ['{', 'null', '{"n":"x","e":{}}', JSON.stringify({ v: 1, n: 'x', e: { brandId: 'b', audience: { kind: 'nobody' }, frame: { type: 'x' } } }), JSON.stringify({ v: 9, n: 'x' })]) {
      await raw.publish(`${prefix}bus`, junk)
    }
    a.publish(event('brand', 'after'))
    await until(() => got.length > 0, 'the event after the junk')
    expect(got.map((e) => e.frame)).toEqual([{ type: 'typing.start', convId: 'after' }])
    expect(errors).toEqual(['bus receive'])
  })

  it('survives a handler that throws: the other handlers and later events still arrive', async () => {
    const prefix = testRedisPrefix()
    const errors: string[] = []
    const a = await createRedisBus({ url: REDIS_URL, nodeId: 'a', prefix })
    const b = await createRedisBus({ url: REDIS_URL, nodeId: 'b', prefix, onError: (_err, what) => errors.push(what) })
    open.push(a, b)
    const got: string[] = []
    b.subscribe(() => { throw new Error('handler bug') })
    b.subscribe((e) => got.push((e.frame as { convId: string }).convId))
    a.publish(event('brand', 'one'))
    a.publish(event('brand', 'two'))
    await until(() => got.length === 2, 'both events')
    expect(got).toEqual(['one', 'two'])
    expect(errors).toEqual(['bus event delivery', 'bus event delivery'])
  })

  it('sends each event of a turn as its own single-event envelope while batching is off (the default)', async () => {
    const prefix = testRedisPrefix()
    const a = await createRedisBus({ url: REDIS_URL, nodeId: 'a', prefix })
    const b = await createRedisBus({ url: REDIS_URL, nodeId: 'b', prefix })
    const raw = new Redis(REDIS_URL)
    open.push(a, b, raw)
    const envelopes: Record<string, unknown>[] = []
    raw.on('message', (_channel: string, json: string) => envelopes.push(JSON.parse(json) as Record<string, unknown>))
    await raw.subscribe(`${prefix}bus`)
    const got: string[] = []
    b.subscribe((e) => got.push((e.frame as { convId: string }).convId))
    const sent = ['c0', 'c1', 'c2', 'c3', 'c4']
    for (const convId of sent) a.publish(event('brand', convId))
    await until(() => got.length === sent.length && envelopes.length === sent.length, 'every event')
    expect(got).toEqual(sent)
    // The form a node of the release before batching reads: one `e` each, no `es`.
    expect(envelopes.map((env) => Object.keys(env).sort())).toEqual(sent.map(() => ['e', 'n', 'v']))
    expect(envelopes.map((env) => (env.e as BusEvent & { frame: { convId: string } }).frame.convId)).toEqual(sent)
  })

  it('sends what one turn published as batches with batching on, and the other node delivers every event in publish order', async () => {
    const prefix = testRedisPrefix()
    const a = await createRedisBus({ url: REDIS_URL, nodeId: 'a', prefix, batch: true })
    const b = await createRedisBus({ url: REDIS_URL, nodeId: 'b', prefix })
    const raw = new Redis(REDIS_URL)
    open.push(a, b, raw)
    const envelopes: string[] = []
    raw.on('message', (_channel: string, json: string) => envelopes.push(json))
    await raw.subscribe(`${prefix}bus`)
    const got: string[] = []
    b.subscribe((e) => got.push((e.frame as { convId: string }).convId))
    const sent = Array.from({ length: MAX_ENVELOPE_EVENTS * 2 + 3 }, (_, i) => `c${i}`)
    for (const convId of sent) a.publish(event('brand', convId))
    await until(() => got.length === sent.length, 'every event')
    expect(got).toEqual(sent)
    // The watching connection is another subscriber: node b may have every event before it has the
    // last envelope. Once it has three, a moment more shows whether any others follow.
    await until(() => envelopes.length >= 3, 'three envelopes')
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(envelopes.length).toBe(3)
  })

  it('sends a node event after the events published before it, with batching on', async () => {
    const prefix = testRedisPrefix()
    const a = await createRedisBus({ url: REDIS_URL, nodeId: 'a', prefix, batch: true })
    const b = await createRedisBus({ url: REDIS_URL, nodeId: 'b', prefix })
    open.push(a, b)
    const got: string[] = []
    b.subscribe((e) => got.push((e.frame as { convId: string }).convId))
    b.subscribeNodes((e) => got.push(e.kind))
    a.publish(event('brand', 'before'))
    a.publishToNodes({ kind: 'brand-document-saved', brandId: 'brand', document: 'masking' })
    await until(() => got.length === 2, 'both')
    expect(got).toEqual(['before', 'brand-document-saved'])
  })

  it('announces a publish that timed out as a gap of its brand once a publish gets through again, with no reconnect', async () => {
    const redis = await startPrivateRedis()
    open.push(redis)
    const a = await createRedisBus({ url: redis.url, nodeId: 'a' })
    const b = await createRedisBus({ url: redis.url, nodeId: 'b' })
    open.push(a, b)
    const gaps: GapBrands[] = []
    b.onGap((brands) => gaps.push(brands))
    const probe = await connectRedis({ url: redis.url }, 'probe')
    open.push(probe)
    redis.pause()
    a.publish(event('lost-brand', 'lost'))
    // The publish times out (the command timeout) while the connection stays up: a command sent
    // after it on a connection with the same timeout failing says it has.
    await expect(probe.ping()).rejects.toThrow(/timed out/i)
    redis.resume()
    a.publish(event('other-brand', 'after'))
    await until(() => gaps.length > 0, 'the gap announcement')
    expect(gaps).toEqual([new Set(['lost-brand'])])
  })
})
