import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { Parley, TimeoutError } from '@parley/sdk'

// parley.visitors.exportStream hands the answer's body over as it arrives, so the call's timeout and
// signal must still reach it after the headers: a relay that stalls mid-export times out, and the
// caller's signal aborts the reading. A small HTTP server on port 0 plays a relay that stalls (a
// test double for the network, as in sdk-client-retries.test.ts).

const servers: { close(): Promise<void> }[] = []
afterEach(async () => { for (const s of servers.splice(0)) await s.close() })

/** A relay whose export sends its headers and one chunk, then says nothing more. */
async function stallingRelay(): Promise<string> {
  const server = createServer((req, res: ServerResponse) => {
    req.resume()
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-disposition': 'attachment; filename="parley-export-2026-12-05.json"' })
      res.write('{"format":"parley.visitor-export"')
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  servers.push({ close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()) }) })
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

/** Reads `stream` to its end; resolves with the chunks read before it ended or failed, and the failure. */
async function readAll(stream: AsyncIterable<Uint8Array>): Promise<{ chunks: number; error: unknown }> {
  let chunks = 0
  try {
    for await (const _ of stream) chunks++
    return { chunks, error: null }
  } catch (error) {
    return { chunks, error }
  }
}

describe('parley.visitors.exportStream', () => {
  it('times out when the relay stalls part way, after the chunks it did send', async () => {
    const parley = new Parley({ relay: await stallingRelay(), apiKey: 'k', timeoutMs: 200 })
    const stream = await parley.visitors.exportStream({ visitorId: 'v_1' })
    expect(stream.fileName).toBe('parley-export-2026-12-05.json')
    const { chunks, error } = await readAll(stream)
    expect(chunks).toBe(1)
    expect(error).toBeInstanceOf(TimeoutError)
  })

  it("stops reading when the call's signal aborts, with the signal's reason", async () => {
    const parley = new Parley({ relay: await stallingRelay(), apiKey: 'k' })
    const controller = new AbortController()
    const stream = await parley.visitors.exportStream({ visitorId: 'v_1' }, { signal: controller.signal })
    const reading = readAll(stream)
    const reason = new Error('the operator pressed stop')
    controller.abort(reason)
    const { error } = await reading
    expect(error).toBe(reason)
  })
})
