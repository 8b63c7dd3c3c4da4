import WebSocket, { type ClientOptions } from 'ws'
import { TestClient } from './ws-client.js'

// TestClient.connect takes only an Origin; some tests need other ws client options (autoPong: false
// for a peer that stops answering pings, arbitrary upgrade headers). Same recording client.

const Construct = TestClient as unknown as new (ws: WebSocket) => TestClient

/** Opens a TestClient with any ws client options; rejects with status and body if the upgrade is refused. */
export function openClient(url: string, options: ClientOptions = {}): Promise<TestClient> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options)
    const client = new Construct(ws)
    ws.once('open', () => resolve(client))
    ws.once('unexpected-response', (_req, res) => {
      let body = ''
      res.on('data', (d: Buffer) => { body += d })
      res.on('end', () => {
        let parsed: unknown = {}
        try { parsed = JSON.parse(body || '{}') } catch { parsed = { raw: body } }
        reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { status: res.statusCode, body: parsed }))
      })
    })
    ws.once('error', reject)
  })
}

/** The status and JSON body of a refused upgrade (fails if the upgrade was accepted). */
export async function refusedUpgrade(open: Promise<TestClient>): Promise<{ status: number; body: any }> {
  try {
    const client = await open
    client.close()
  } catch (err) {
    const e = err as { status?: number; body?: unknown }
    if (typeof e.status === 'number') return { status: e.status, body: e.body }
    throw err
  }
  throw new Error('upgrade was accepted')
}
