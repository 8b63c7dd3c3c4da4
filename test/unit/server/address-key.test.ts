import { describe, expect, it } from 'vitest'
import { addressKey } from '../../../server/src/address-key.js'

describe('addressKey', () => {
  it('counts every address of one IPv6 /64 as one address', () => {
    const keys = ['2001:db8:1:2::1', '2001:db8:1:2:ffff:ffff:ffff:ffff', '2001:0db8:0001:0002:abcd::9', '2001:DB8:1:2::1%eth0']
    expect(new Set(keys.map(addressKey))).toEqual(new Set(['2001:db8:1:2::/64']))
  })

  it('keeps different IPv6 /64 prefixes apart', () => {
    expect(addressKey('2001:db8:1:2::1')).not.toBe(addressKey('2001:db8:1:3::1'))
    expect(addressKey('::1')).toBe('0:0:0:0::/64')
    expect(addressKey('fe80::1')).toBe('fe80:0:0:0::/64')
  })

  it('reads a dotted-quad tail as the last 32 bits', () => {
    expect(addressKey('64:ff9b:1:2::192.0.2.1')).toBe('64:ff9b:1:2::/64')
  })

  it('counts IPv4 addresses, plain or IPv4-mapped, one by one', () => {
    expect(addressKey('192.0.2.1')).toBe('192.0.2.1')
    expect(addressKey('::ffff:192.0.2.1')).toBe('192.0.2.1')
    expect(addressKey('192.0.2.2')).not.toBe(addressKey('192.0.2.1'))
  })
})
