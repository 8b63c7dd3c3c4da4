import type { AddressSetting } from '@parley/sdk/contract'

// How much of a client's address the audit log and session lists keep, per the brand's security
// settings: all of it, its network (IPv4 /24, IPv6 /48), or nothing. An IPv4 client seen through a
// dual-stack socket (::ffff:a.b.c.d) is kept as the IPv4 network it is.

const HEX_GROUP = /^[0-9a-f]{1,4}$/

/** `ip` as the brand's `setting` keeps it; null when it keeps none (or there is no address, or it is not one). */
export function keptAddress(ip: string | null | undefined, setting: AddressSetting): string | null {
  if (!ip || setting === 'none') return null
  if (setting === 'full') return ip
  const addr = ip.split('%', 1)[0]!.toLowerCase()
  const v4 = /^(?:::ffff:)?(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(addr)
  if (v4) return v4.slice(1).every((o) => Number(o) <= 255) ? `${v4[1]}.${v4[2]}.${v4[3]}.0/24` : null
  return ipv6Network(addr)
}

/** The /48 of an IPv6 address in its shortest form (`2001:db8::/48`); null when it is not one. */
function ipv6Network(addr: string): string | null {
  if (!addr.includes(':')) return null
  const gap = addr.indexOf('::')
  if (gap >= 0 && addr.indexOf('::', gap + 1) >= 0) return null
  const head = gap < 0 ? addr.split(':') : addr.slice(0, gap).split(':').filter((g) => g !== '')
  const tail = gap < 0 ? [] : addr.slice(gap + 2).split(':').filter((g) => g !== '')
  if (head.length + tail.length > (gap < 0 ? 8 : 7)) return null
  const groups = gap < 0 ? head : [...head, ...Array<string>(8 - head.length - tail.length).fill('0'), ...tail]
  const network = groups.slice(0, 3)
  if (groups.length < 3 || !network.every((g) => HEX_GROUP.test(g))) return null
  const kept = network.map((g) => parseInt(g, 16).toString(16))
  // The other five groups are zero: trailing zeros of the three kept join them under `::`.
  while (kept.length > 0 && kept[kept.length - 1] === '0') kept.pop()
  return `${kept.join(':')}::/48`
}
