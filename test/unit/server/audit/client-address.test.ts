import { describe, expect, it } from 'vitest'
import type { AddressSetting } from '@parley/sdk/contract'
import { keptAddress } from '../../../../server/src/audit/client-address.js'

// (address as received, setting, what the audit log keeps)
const CASES: [string | null | undefined, AddressSetting, string | null][] = [
  // IPv4
  ['203.0.113.77', 'full', '203.0.113.77'],
  ['203.0.113.77', 'truncated', '203.0.113.0/24'],
  ['203.0.113.77', 'none', null],
  ['10.0.0.1', 'truncated', '10.0.0.0/24'],
  // IPv4-mapped IPv6 (a dual-stack socket reports IPv4 clients this way): kept as the IPv4 network
  ['::ffff:203.0.113.77', 'truncated', '203.0.113.0/24'],
  ['::FFFF:198.51.100.9', 'truncated', '198.51.100.0/24'],
  ['::ffff:203.0.113.77', 'full', '::ffff:203.0.113.77'],
  ['::ffff:203.0.113.77', 'none', null],
  // IPv6: its /48
  ['2001:db8:85a3:8d3:1319:8a2e:370:7348', 'truncated', '2001:db8:85a3::/48'],
  ['2001:DB8:0085:08d3::1', 'truncated', '2001:db8:85::/48'],
  ['2001:db8::1', 'truncated', '2001:db8::/48'],
  ['2001:0:db8::1', 'truncated', '2001:0:db8::/48'],
  ['::1', 'truncated', '::/48'],
  ['fe80::1%eth0', 'truncated', 'fe80::/48'],
  ['64:ff9b::192.0.2.1', 'truncated', '64:ff9b::/48'],
  ['2001:db8:85a3:8d3:1319:8a2e:370:7348', 'full', '2001:db8:85a3:8d3:1319:8a2e:370:7348'],
  ['2001:db8:85a3:8d3:1319:8a2e:370:7348', 'none', null],
  // no address, or not an address at all
  [null, 'full', null],
  [undefined, 'truncated', null],
  ['', 'truncated', null],
  ['not-an-address', 'truncated', null],
  ['300.1.2.3', 'truncated', null],
  ['2001:db8::1::2', 'truncated', null],
  ['zz01:db8::1', 'truncated', null],
  ['1:2:3:4:5:6:7:8:9', 'truncated', null],
]

describe('keptAddress', () => {
  it.each(CASES)('keeps %s under %s as %s', (ip, setting, expected) => {
    expect(keptAddress(ip, setting)).toBe(expected)
  })

  it('never keeps the host part of a truncated address', () => {
    for (const [ip, setting, kept] of CASES) {
      if (setting !== 'truncated' || !ip || kept === null) continue
      expect(kept).toMatch(/\/(24|48)$/)
    }
  })
})
