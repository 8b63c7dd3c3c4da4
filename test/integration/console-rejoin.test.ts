import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import WebSocket from 'ws'
import { createMemoryStorage } from '@parley/sdk/connection'
import { ConsoleController } from '../../widget/src/console/controller.js'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand, type TestAgent } from '../helpers/brand.js'
import { seedConversations } from '../helpers/seed-conversations.js'
import { until } from '../helpers/until.js'

// The console's controller (the part of the console that talks to the relay) in Node, against a real
// relay: after a reload it brings back every chat the agent holds, not only welcome's first page.

const JOINED = 250

describe('console rejoin after a reload', () => {
  let relay: TestRelay
  let agent: TestAgent
  let ids: string[]
  beforeAll(async () => {
    relay = await startRelay()
    const brand = await createTestBrand(relay)
    agent = await createTestAgent(relay, brand.brandId, 'Ada')
    ids = await seedConversations(relay, brand.brandId, JOINED, 'held')
    for (const convId of ids) await relay.deps.store.joinConversation(brand.brandId, convId, agent.agentId, 2_000_000)
  }, 60_000)
  afterAll(async () => { await relay.close() })

  it(`shows all ${JOINED} open chats the agent joined, with their messages, beyond welcome's first page`, async () => {
    // A reloaded console: a new controller with empty storage, as the console starts on every page load.
    const console_ = new ConsoleController({
      token: agent.token, url: relay.wsUrl, WebSocket: WebSocket as never, storage: createMemoryStorage(), storagePrefix: 'parley-console:',
    })
    onTestFinished(() => console_.stop())
    const chats = () => Object.keys(console_.state.chats)
    await until(() => chats().length === JOINED, `all ${JOINED} chats back`, 30_000)
    const oldest = ids[0]!
    await until(() => console_.state.chats[oldest]!.lines.length === 1, 'the oldest chat has its message')

    expect(chats().sort()).toEqual([...ids].sort())
    expect(console_.state.chats[oldest]!.lines.map((l) => l.text)).toEqual([`hello from ${oldest}`])
    expect(console_.state.error).toBeNull()
  })
})
