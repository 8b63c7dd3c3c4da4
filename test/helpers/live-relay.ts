import { afterEach, beforeEach } from 'vitest'
import type { ConversationJoined } from '@parley/sdk/contract'
import { startRelay, type TestRelay } from './start-relay.js'
import { createTestAgent, createTestBrand, type TestBrand } from './brand.js'
import { liveClient, type LiveClient } from './live-client.js'
import { until } from './until.js'

// A fresh relay and brand for each test of a file, with connection clients on it that are stopped
// when the test ends.

/** This test's relay and brand (set before each test), and clients on them. */
export interface LiveRelay {
  relay: TestRelay
  brand: TestBrand
  /** A started visitor client of the brand; `extra` overrides its options. */
  visitor(extra?: Partial<Parameters<typeof liveClient>[0]>): LiveClient
  /** A new agent of the brand named `name`, its client open. */
  agent(name?: string): Promise<LiveClient>
  /** Stops `client` when the test ends; returns it. */
  track(client: LiveClient): LiveClient
}

/** Registers the hooks that start a relay and a brand before each test and stop everything after. */
export function useLiveRelay(): LiveRelay {
  const clients: LiveClient[] = []
  const live: LiveRelay = {
    relay: undefined as unknown as TestRelay,
    brand: undefined as unknown as TestBrand,
    visitor: (extra = {}) => live.track(liveClient({ url: `${live.relay.wsUrl}?site=${live.brand.siteKey}`, auth: { kind: 'visitor' }, ...extra })),
    async agent(name = 'Agent') {
      const a = await createTestAgent(live.relay, live.brand.brandId, name)
      const c = live.track(liveClient({ url: live.relay.wsUrl, auth: { kind: 'agent', token: a.token } }))
      await c.open()
      return c
    },
    track(client) {
      clients.push(client)
      return client
    },
  }
  beforeEach(async () => {
    live.relay = await startRelay()
    live.brand = await createTestBrand(live.relay)
  })
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.conn.stop()))
    await live.relay.close()
  })
  return live
}

/** Opens a conversation with one message from `v` and has `a` accept it; resolves to its id. */
export async function openAndAccept(v: LiveClient, a: LiveClient): Promise<string> {
  await v.open()
  const convId = v.conn.newConversationId()
  await v.conn.send(convId, 'hello')
  await until(() => v.messages.some((m) => m.convId === convId), 'first message acked')
  await a.conn.request<ConversationJoined>({ type: 'conversation.accept', convId })
  await a.conn.request({ type: 'conversation.resume', convs: [{ convId, afterSeq: 0 }] })
  await until(() => a.texts(convId).includes('hello'), 'agent has the first message')
  return convId
}
