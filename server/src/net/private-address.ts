import { BlockList, isIP } from 'node:net'

// Addresses an outbound request made for a brand (its JWKS URL, its webhooks) must not reach unless
// the operator allows it: this machine, the operator's private networks, the cloud metadata service
// (link-local), carrier-grade NAT, benchmarking, multicast and reserved space are not the brand's to
// point us at. An IPv6 address that carries an IPv4 one (mapped, compatible, NAT64, 6to4) reaches
// that IPv4 host, so it is judged by the embedded address.

const PRIVATE_V4 = new BlockList()
for (const [net, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) PRIVATE_V4.addSubnet(net, bits, 'ipv4')

const PRIVATE_V6 = new BlockList()
// 64:ff9b:1::/48 is NAT64 for local use only (RFC 8215); fec0::/10 the deprecated site-local block.
for (const [net, bits] of [['64:ff9b:1::', 48], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8]] as const) {
  PRIVATE_V6.addSubnet(net, bits, 'ipv6')
}

/** Whether `ip` (an IPv4 or IPv6 literal, brackets allowed) is one a brand may not make us reach; false for a non-address. */
export function isPrivateAddress(ip: string): boolean {
  const bare = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip
  const family = isIP(bare)
  if (family === 4) return PRIVATE_V4.check(bare, 'ipv4')
  if (family !== 6) return false
  const embedded = embeddedIPv4(ipv6Words(bare))
  if (embedded !== null) return PRIVATE_V4.check(embedded, 'ipv4')
  return PRIVATE_V6.check(bare, 'ipv6')
}

/** Whether a URL's host (`URL.hostname`) names this machine or a private address literally. */
export function isPrivateHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/\.$/, '')
  return h === 'localhost' || h.endsWith('.localhost') || isPrivateAddress(h)
}

/** The eight 16-bit words of a valid IPv6 literal (a zone id dropped, a dotted IPv4 tail expanded). */
function ipv6Words(ip: string): number[] {
  let text = ip.replace(/%.*$/, '')
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text)
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number]
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
  }
  const [head, tail] = text.includes('::') ? text.split('::') as [string, string] : [text, null]
  const words = (part: string): number[] => (part === '' ? [] : part.split(':').map((w) => parseInt(w, 16)))
  if (tail === null) return words(head)
  const front = words(head)
  const back = words(tail)
  return [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back]
}

/** The IPv4 address an IPv6 one reaches, when it embeds one: mapped, compatible, SIIT, NAT64 (64:ff9b::/96) or 6to4 (2002::/16). */
function embeddedIPv4(w: number[]): string | null {
  const v4 = (hi: number, lo: number): string => `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`
  const zero = (from: number, to: number): boolean => w.slice(from, to).every((x) => x === 0)
  // ::a.b.c.d (compatible, which also covers :: and ::1 as 0.0.0.0/8) and ::ffff:a.b.c.d (mapped).
  if (zero(0, 5) && (w[5] === 0 || w[5] === 0xffff)) return v4(w[6]!, w[7]!)
  if (zero(0, 4) && w[4] === 0xffff && w[5] === 0) return v4(w[6]!, w[7]!) // ::ffff:0:a.b.c.d (SIIT)
  if (w[0] === 0x64 && w[1] === 0xff9b && zero(2, 6)) return v4(w[6]!, w[7]!)
  if (w[0] === 0x2002) return v4(w[1]!, w[2]!)
  return null
}
