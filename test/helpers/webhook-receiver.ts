import { createHmac, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'

// A brand's webhook receiver for tests: a real HTTP server on port 0 that keeps what it was sent and
// answers `status()` (500 for the first N requests, say). Signatures are checked here straight from
// the Standard Webhooks spec with node:crypto, never with the relay's or the SDK's code.

/** One request the receiver got. */
export interface ReceivedWebhook { headers: IncomingHttpHeaders; body: string; answered: number }

/** A running receiver. */
export interface WebhookReceiver {
  url: string
  received: ReceivedWebhook[]
  /** What the next request is answered (default 204). */
  status: () => number
  close(): Promise<void>
}

/** Starts a receiver answering `status(n)` to its n-th request (0-based; default 204); a status of 0 never answers (a hung endpoint). */
export async function startWebhookReceiver(status: (n: number) => number = () => 204): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const answered = status(received.length)
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), answered })
      if (answered !== 0) res.writeHead(answered).end()
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    received,
    status: () => status(received.length),
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()) }),
  }
}

/** Which of the `v1,` signatures of a request `secret` (`whsec_…`) made: per the spec, HMAC-SHA256 over `${id}.${timestamp}.${body}`. */
export function signaturesBy(secret: string, w: ReceivedWebhook): number {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64')
  const content = `${String(w.headers['webhook-id'])}.${String(w.headers['webhook-timestamp'])}.${w.body}`
  const expected = createHmac('sha256', key).update(content).digest()
  return String(w.headers['webhook-signature']).split(' ').filter((s) => {
    const [version, sig] = s.split(',')
    const given = Buffer.from(sig ?? '', 'base64')
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected)
  }).length
}
