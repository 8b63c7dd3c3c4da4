// One IPv6 subscriber usually gets a whole /64 (often a /56 or /48), and picks addresses in it at
// will: counting each address on its own would hand one client 2^64 fresh limit buckets. Per-address
// limits count a /64 as one address; IPv4 addresses (plain or IPv4-mapped) count one by one.

/** The key a per-address limit counts `ip` under: the IPv4 address, or the IPv6 address's /64 prefix. */
export function addressKey(ip: string): string {
  if (!ip.includes(':')) return ip
  const addr = ip.split('%', 1)[0]!.toLowerCase()
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(addr)
  if (mapped) return mapped[1]!
  // A dotted-quad tail only fills the last 32 bits; stand in two zero groups for it.
  const hex = addr.includes('.') ? `${addr.slice(0, addr.lastIndexOf(':') + 1)}0:0` : addr
  const gap = hex.indexOf('::')
  const head = (gap < 0 ? hex : hex.slice(0, gap)).split(':').filter((g) => g !== '')
  const tail = gap < 0 ? [] : hex.slice(gap + 2).split(':').filter((g) => g !== '')
  const groups = gap < 0 ? head : [...head, ...Array<string>(Math.max(0, 8 - head.length - tail.length)).fill('0'), ...tail]
  return `${groups.slice(0, 4).map((g) => parseInt(g, 16).toString(16)).join(':')}::/64`
}
