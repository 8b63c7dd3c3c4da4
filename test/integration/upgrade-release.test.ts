import { IncomingMessage, ServerResponse } from 'node:http'
import { queryObjects } from 'node:v8'
import { afterEach, describe, expect, it } from 'vitest'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestBrand } from '../helpers/brand.js'
import { connectVisitor } from '../helpers/delivery-chat.js'

// An open WebSocket connection must not keep the HTTP request it was upgraded from: with thousands
// of idle visitors, the request's headers, Fastify's Request and Reply and the ServerResponse were
// most of what each connection cost the relay (test/bench/README.md, "Relay memory").

/** Live instances of `ctor` in this process, after a full garbage collection. */
const live = (ctor: unknown) => queryObjects(ctor as new () => unknown, { format: 'count' }) as number

const CONNECTIONS = 20

describe('upgrade requests of open connections', () => {
  let relay: TestRelay | null = null
  afterEach(async () => { await relay?.close(); relay = null })

  it('keeps neither the request nor the response of a welcomed visitor connection', async () => {
    relay = await startRelay()
    const brand = await createTestBrand(relay)
    const responses = live(ServerResponse)
    const requests = live(IncomingMessage)
    const visitors = []
    for (let i = 0; i < CONNECTIONS; i++) visitors.push(await connectVisitor(relay, brand))

    // The test's own clients hold one upgrade response (an IncomingMessage) each at most; the relay
    // would add a ServerResponse and an IncomingMessage per connection.
    expect(live(ServerResponse) - responses).toBeLessThan(CONNECTIONS / 4)
    expect(live(IncomingMessage) - requests).toBeLessThanOrEqual(CONNECTIONS + CONNECTIONS / 4)
    // The connections still work after the release.
    for (const v of visitors) v.client.send({ type: 'ping', ref: 'p' })
    for (const v of visitors) await v.client.next('pong')
  })
})
