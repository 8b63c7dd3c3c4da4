import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { isPrivateAddress } from '../../../../server/src/net/private-address.js'
import { createKeySetFetch, KeySetAddressRefused } from '../../../../server/src/identity/key-set-fetch.js'

describe('isPrivateAddress', () => {
  it.each([
    ['127.0.0.1', true], ['127.255.0.9', true], ['10.9.8.7', true], ['172.16.0.1', true], ['172.31.9.9', true], ['192.168.0.1', true],
    ['169.254.169.254', true], ['0.0.0.0', true], ['::1', true], ['::', true], ['fe80::1', true], ['fc00::1', true], ['fdff::1', true],
    ['::ffff:10.0.0.1', true], ['[::1]', true],
    // Carrier-grade NAT, benchmarking, multicast and reserved IPv4.
    ['100.64.0.1', true], ['100.127.255.254', true], ['198.18.0.1', true], ['198.19.255.255', true], ['224.0.0.1', true],
    ['239.255.255.250', true], ['240.0.0.1', true], ['255.255.255.255', true],
    ['100.63.255.255', false], ['100.128.0.1', false], ['198.17.255.255', false], ['198.20.0.1', false], ['223.255.255.255', false],
    // IPv6 that carries an IPv4 address is judged by it, in dotted and in hex (URL.hostname) form.
    ['::ffff:7f00:1', true], ['[::ffff:a9fe:a9fe]', true], ['::ffff:8.8.8.8', false], ['::ffff:0:10.1.2.3', true],
    ['::127.0.0.1', true], ['::7f00:1', true], ['::10.0.0.1', true], ['::8.8.8.8', false],
    ['64:ff9b::127.0.0.1', true], ['64:ff9b::a9fe:a9fe', true], ['64:ff9b::c0a8:101', true], ['64:ff9b::8.8.8.8', false],
    ['64:ff9b:1::1', true],
    ['2002:7f00:1::', true], ['2002:a00:1::1', true], ['2002:c0a8:101::5', true], ['2002:808:808::1', false],
    // Site-local (deprecated), multicast, a zone id.
    ['fec0::1', true], ['feff::1', true], ['ff02::1', true], ['fe80::1%eth0', true],
    ['172.32.0.1', false], ['8.8.8.8', false], ['203.0.113.7', false], ['2001:db8::1', false], ['2606:4700::1111', false], ['shop.example', false],
  ])('%s → %s', (ip, expected) => {
    expect(isPrivateAddress(ip)).toBe(expected)
  })
})

describe('createKeySetFetch', () => {
  const get = (allow: boolean, url: string) => createKeySetFetch(allow)(url, { headers: new Headers(), method: 'GET', redirect: 'manual', signal: AbortSignal.timeout(5_000) })

  it('refuses http, and a name that resolves to a private address, before sending anything', async () => {
    const server = createServer((_req, res) => { res.end('{"keys":[]}') })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as AddressInfo).port
    try {
      let hits = 0
      server.on('request', () => { hits++ })
      await expect(get(false, `http://127.0.0.1:${port}/jwks`)).rejects.toBeInstanceOf(KeySetAddressRefused)
      await expect(get(false, `https://127.0.0.1:${port}/jwks`)).rejects.toBeInstanceOf(KeySetAddressRefused)
      // A name, not an address: refused where the socket resolves it.
      await expect(get(false, `https://localhost:${port}/jwks`)).rejects.toBeInstanceOf(KeySetAddressRefused)
      // IPv4 loopback dressed as NAT64 and as IPv4-compatible IPv6.
      await expect(get(false, `https://[64:ff9b::127.0.0.1]:${port}/jwks`)).rejects.toBeInstanceOf(KeySetAddressRefused)
      await expect(get(false, `https://[::127.0.0.1]:${port}/jwks`)).rejects.toBeInstanceOf(KeySetAddressRefused)
      expect(hits).toBe(0)
      const allowed = await get(true, `http://127.0.0.1:${port}/jwks`)
      expect([allowed.status, await allowed.json()]).toEqual([200, { keys: [] }])
    } finally {
      server.close()
    }
  })
})
