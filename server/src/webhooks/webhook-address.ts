import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import { lookup as dnsLookupAsync } from 'node:dns/promises'
import type { LookupFunction } from 'node:net'
import { isPrivateAddress, isPrivateHost } from '../net/private-address.js'

// Which webhook URLs the relay posts to. A brand must not point the relay at this machine, the
// operator's private networks or the cloud metadata service (SSRF): the URL is checked when it is
// saved, and the address again where each connection is made, in the lookup the socket uses, so a
// name that resolves to a public address at save time and a private one later (DNS rebinding) is
// refused too. The operator may allow private addresses and plain http (development, tests).

/** Why a URL is refused; null when it may be used. Resolves the host unless private URLs are allowed. */
export async function webhookUrlRefusal(raw: string, allowPrivate: boolean): Promise<string | null> {
  let url: URL
  try { url = new URL(raw) } catch { return 'not a URL' }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'not http(s)'
  if (url.username !== '' || url.password !== '') return 'credentials in the URL'
  if (allowPrivate) return null
  if (url.protocol !== 'https:') return 'https is required'
  if (isPrivateHost(url.hostname)) return 'a private or loopback address'
  try {
    const addresses = await dnsLookupAsync(url.hostname.replace(/^\[|\]$/g, ''), { all: true })
    if (addresses.length === 0 || addresses.some((a) => isPrivateAddress(a.address))) return 'resolves to a private or loopback address'
  } catch {
    return 'the host does not resolve'
  }
  return null
}

/** A webhook address refused when the connection was made. */
export class WebhookAddressRefused extends Error {}

/** A socket lookup that refuses private addresses: the address checked is the address connected to. */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
    if (err) return callback(err, '', 4)
    if (addresses.length === 0 || addresses.some((a) => isPrivateAddress(a.address))) {
      return callback(new WebhookAddressRefused('the webhook URL resolves to a private address'), '', 4)
    }
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses)
    callback(null, addresses[0]!.address, addresses[0]!.family)
  })
}
