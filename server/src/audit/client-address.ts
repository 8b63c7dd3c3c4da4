import type { AddressSetting } from '@parley/sdk/contract'

// How much of a client's address the audit log and session lists keep, per the brand's security
// settings: all of it, its network (IPv4 /24, IPv6 /48), or nothing.

/** `ip` as the brand's `setting` keeps it; null when it keeps none (or there is no address). */
export function keptAddress(ip: string | null | undefined, setting: AddressSetting): string | null {
  if (!ip || setting === 'none') return null
  if (setting === 'full') return ip
  const addr = ip.split('%', 1)[0]!.toLowerCase()
  const v4 = /^(?:::ffff:)?(\d+)\.(\d+)\.(\d+)\.\d+$/.exec(addr)
  if (v4) return `${v4[1]}.${v4[2]}.${v4[3]}.0/24`
  if (!addr.includes(':')) return null
  const gap = addr.indexOf('::')
  const head = (gap < 0 ? addr : addr.slice(0, gap)).split(':').filter((g) => g !== '')
  const tail = gap < 0 ? [] : addr.slice(gap + 2).split(':').filter((g) => g !== '')
  const groups = gap < 0 ? head : [...head, ...Array<string>(Math.max(0, 8 - head.length - tail.length)).fill('0'), ...tail]
  return `${groups.slice(0, 3).map((g) => parseInt(g, 16).toString(16)).join(':')}::/48`
}
