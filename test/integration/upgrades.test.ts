import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'

// Only /v1/live speaks WebSocket. An upgrade anywhere else gets an ordinary HTTP refusal instead of
// a 101 followed by a close, so a misconfigured client learns what is wrong.

/** The HTTP status a WebSocket upgrade to `url` was answered with (101 if it opened). */
function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url)
    ws.once('open', () => { ws.close(); resolve(101) })
    ws.once('unexpected-response', (_req, res) => { res.resume(); resolve(res.statusCode ?? 0) })
    ws.once('error', (err) => { if (ws.readyState !== WebSocket.CLOSED) reject(err) })
  })
}

describe('WebSocket upgrades', () => {
  let relay: TestRelay
  let ws: string
  beforeAll(async () => {
    relay = await startRelay({ widgetDir: 'widget/dist' })
    ws = relay.url.replace(/^http/, 'ws')
  })
  afterAll(async () => { await relay.close() })

  it.each(['/healthz', '/readyz', '/parley.js', '/v1/conversations'])('answers an upgrade on %s with 400', async (path) => {
    expect(await upgradeStatus(ws + path)).toBe(400)
  })

  it('answers an upgrade on an unknown path with 404', async () => {
    expect(await upgradeStatus(`${ws}/no-such-path`)).toBe(404)
  })

  it('upgrades /v1/live', async () => {
    expect(await upgradeStatus(relay.wsUrl)).toBe(101)
  })
})
