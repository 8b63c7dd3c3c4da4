import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { LookupFunction } from 'node:net'
import { isPrivateAddress } from '../net/private-address.js'

// How the relay fetches a brand's JWKS URL (jose's customFetch). The URL was checked when it was
// saved, but a public name can resolve to a private address later (or on purpose), so the address
// is checked again where the connection is made: in the lookup the socket uses, not in a separate
// resolve a second lookup could disagree with. No redirects are followed (jose asks for 'manual'
// and treats anything but 200 as a failure), and the body is capped.

/** The largest key set read, bytes. */
const MAX_BODY_BYTES = 256 * 1024

/** jose's FetchImplementation, restated so this file does not reach into jose's types. */
export type KeySetFetch = (url: string, options: { headers: Headers; method: 'GET'; redirect: 'manual'; signal: AbortSignal }) => Promise<Response>

/** A refused key set address (never shown to the page: the relay answers IDENTITY_KEYS_UNAVAILABLE). */
export class KeySetAddressRefused extends Error {}

/** A lookup that refuses private addresses. */
const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
    if (err) return callback(err, '', 4)
    if (addresses.length === 0 || addresses.some((a) => isPrivateAddress(a.address))) {
      return callback(new KeySetAddressRefused('the key set URL resolves to a private address'), '', 4)
    }
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses)
    callback(null, addresses[0]!.address, addresses[0]!.family)
  })
}

/** Fetches key sets over https from public addresses only, unless `allowPrivate` (then http and any address too). */
export function createKeySetFetch(allowPrivate: boolean): KeySetFetch {
  return (raw, options) => new Promise<Response>((resolve, reject) => {
    const url = new URL(raw)
    if (!allowPrivate && (url.protocol !== 'https:' || isPrivateAddress(url.hostname))) {
      reject(new KeySetAddressRefused('the key set URL is not a public https address'))
      return
    }
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest
    const req = request(url, {
      method: 'GET', headers: Object.fromEntries(options.headers), signal: options.signal,
      ...(allowPrivate ? {} : { lookup: publicOnlyLookup }),
    }, (res) => {
      const chunks: Buffer[] = []
      let size = 0
      res.on('data', (c: Buffer) => {
        size += c.length
        if (size > MAX_BODY_BYTES) { res.destroy(new Error('key set too large')); return }
        chunks.push(c)
      })
      res.on('error', reject)
      res.on('end', () => resolve(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 500 })))
    })
    req.on('error', reject)
    req.end()
  })
}
