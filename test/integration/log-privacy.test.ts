import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestBrand, type TestBrand } from '../helpers/brand.js'
import { callRest } from '../helpers/rest.js'

// What reaches the log from requests: the route pattern and the status, never a query string, a
// body or a credential. Every registered route is called, so a new route is covered without
// editing this file. (relay-process.test.ts checks the same for a real relay process and its chats.)

const SEARCH = '4111 1111 1111 1111 SEARCH-TERM-NEVER-IN-LOGS'
const CARD_FORMS = ['4111 1111', '4111%201111', '4111+1111']
const URL_TOKEN = 'URL-TOKEN-NEVER-IN-LOGS'
const BODY = 'BODY-FIELD-NEVER-IN-LOGS'
const IDEMPOTENCY_KEY = 'IDEMPOTENCY-KEY-NEVER-IN-LOGS'

describe('request log lines', () => {
  let relay: TestRelay
  let brand: TestBrand
  const lines: string[] = []
  beforeAll(async () => {
    relay = await startRelay({ logStream: { write: (line) => { lines.push(line) } }, widgetDir: 'widget/dist' })
    brand = await createTestBrand(relay)
  })
  afterAll(async () => { await relay.close() })

  const logged = () => lines.join('')
  const query = `?q=${encodeURIComponent(SEARCH)}&access_token=${URL_TOKEN}`

  it('never contain transcript search terms', async () => {
    const res = await callRest(relay, { url: `/v1/conversations?q=${encodeURIComponent(SEARCH)}`, token: brand.apiKey })
    expect(res.status).toBe(200)
    // The card number as typed and as URL-encoded; a bare '4111' could be a pid or a port in the line.
    for (const term of CARD_FORMS) expect(logged()).not.toContain(term)
    expect(logged()).not.toContain('SEARCH-TERM')
  })

  it('name the route pattern and the status of a request', async () => {
    lines.length = 0
    await callRest(relay, { url: '/v1/conversations/c-PARAM-VALUE/messages', token: brand.apiKey })
    const parsed = lines.map((l) => JSON.parse(l) as { msg?: string; req?: { route?: string }; res?: { statusCode?: number } })
    expect(parsed.find((l) => l.msg === 'incoming request')?.req?.route).toBe('/v1/conversations/:convId/messages')
    expect(parsed.find((l) => l.msg === 'request completed')?.res?.statusCode).toBe(404)
    expect(logged()).not.toContain('c-PARAM-VALUE')
  })

  it('never contain the query, body or credential of any registered REST route', async () => {
    const routes = relay.app.parleyRoutes.filter((r) => !r.websocket)
    expect(routes.length).toBeGreaterThan(10)
    for (const r of routes) {
      lines.length = 0
      const path = r.url === '*' ? '/anything' : r.url.replace(/:(\w+)/g, 'p')
      const method = r.method as 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS'
      const withBody = ['POST', 'PUT', 'PATCH'].includes(method)
      const send = (name: string) => relay.app.inject({
        method, url: path + query,
        headers: { authorization: `Bearer ${brand.apiKey}`, 'idempotency-key': IDEMPOTENCY_KEY, ...(withBody ? { 'content-type': 'application/json' } : {}) },
        ...(withBody ? { payload: JSON.stringify({ greeting: BODY, password: BODY, email: `${BODY}@x.example`, name }) } : {}),
      })
      // A POST with a key is sent again and then with another body (idempotency.test.ts checks the
      // log on the replay and refusal paths with valid bodies).
      await send(`${BODY}-1`)
      if (method === 'POST') {
        await send(`${BODY}-1`)
        await send(`${BODY}-2`)
      }
      const text = logged()
      // Health probes and the icon log only warnings, so they don't fill the log.
      if (!['/healthz', '/readyz', '/favicon.ico'].includes(r.url)) expect(lines.length, `${r.method} ${r.url} logged nothing`).toBeGreaterThan(0)
      for (const secret of [...CARD_FORMS, 'SEARCH-TERM', URL_TOKEN, BODY, brand.apiKey, IDEMPOTENCY_KEY]) {
        expect(text.includes(secret), `${r.method} ${r.url} logged ${secret}`).toBe(false)
      }
    }
  })

  it('never contain a token put in the WebSocket upgrade URL', async () => {
    lines.length = 0
    const ws = new WebSocket(`${relay.wsUrl}${query}`)
    await new Promise<void>((resolve, reject) => { ws.once('open', () => resolve()); ws.once('error', reject) })
    ws.close()
    await new Promise((resolve) => ws.once('close', resolve))
    expect(logged()).toContain('/v1/live')
    expect(logged()).not.toContain(URL_TOKEN)
    expect(logged()).not.toContain('SEARCH-TERM')
  })
})
