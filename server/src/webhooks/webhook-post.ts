import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { WebhookAttemptError } from '@parley/sdk/contract'
import { isPrivateAddress } from '../net/private-address.js'
import { publicOnlyLookup, WebhookAddressRefused } from './webhook-address.js'

// One POST of a delivery. Redirects are not followed (a 3xx is a failed attempt: a redirect could
// point anywhere, the checked address included), the answer's body is read and dropped, and the
// whole attempt has a deadline.

/** What one attempt came to: the status the endpoint answered, or why there was none. */
export type PostOutcome = { status: number } | { error: WebhookAttemptError }

/** How to post. */
export interface PostOptions {
  allowPrivate: boolean
  timeoutMs: number
}

/** POSTs `body` with `headers` to `raw`; never rejects. */
export function postWebhook(raw: string, headers: Record<string, string>, body: string, opts: PostOptions): Promise<PostOutcome> {
  return new Promise((resolve) => {
    const url = new URL(raw)
    if (!opts.allowPrivate && (url.protocol !== 'https:' || isPrivateAddress(url.hostname.replace(/^\[|\]$/g, '')))) {
      resolve({ error: 'address_refused' })
      return
    }
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest
    const req = request(url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'Parley-Webhooks/1' },
      signal: AbortSignal.timeout(opts.timeoutMs),
      ...(opts.allowPrivate ? {} : { lookup: publicOnlyLookup }),
    }, (res) => {
      res.resume()
      res.on('end', () => resolve({ status: res.statusCode ?? 0 }))
      res.on('error', () => resolve({ status: res.statusCode ?? 0 }))
    })
    req.on('error', (err: Error & { code?: string }) => {
      if (err instanceof WebhookAddressRefused) resolve({ error: 'address_refused' })
      else if (err.name === 'AbortError' || err.name === 'TimeoutError' || err.code === 'ABORT_ERR') resolve({ error: 'timeout' })
      else resolve({ error: 'connection' })
    })
    req.end(body)
  })
}
