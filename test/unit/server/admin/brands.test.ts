import { describe, expect, it } from 'vitest'
import { normalizeOrigin } from '../../../../server/src/admin/brands.js'

// The allowed-origin list is compared with the browser's Origin header as whole strings, so
// normalizing must produce exactly what a browser sends, and never fold a look-alike into a real one.

describe('normalizeOrigin', () => {
  it.each([
    ['https://brand.com', 'https://brand.com'],
    ['https://brand.com/', 'https://brand.com'],
    ['HTTPS://Brand.COM', 'https://brand.com'],
    ['https://brand.com:443', 'https://brand.com'],
    ['http://brand.com:80', 'http://brand.com'],
    ['https://brand.com:8443', 'https://brand.com:8443'],
    ['http://localhost:3000', 'http://localhost:3000'],
    ['http://[::1]:8080', 'http://[::1]:8080'],
    ['https://bránd.com', 'https://xn--brnd-6na.com'],
  ])('normalizes %s to %s', (input, origin) => {
    expect(normalizeOrigin(input)).toEqual({ ok: true, origin })
  })

  it.each([
    ['a longer host ending elsewhere', 'https://brand.com.evil.com'],
    ['a percent-encoded dot', 'https://brand.com%2eevil.com'],
    ['a host with a hyphen suffix', 'https://brand.com-evil.com'],
    ['a homograph in another script (Cyrillic a)', 'https://br\u0430nd.com'],
    ['another port', 'https://brand.com:444'],
    ['plain http', 'http://brand.com'],
  ])('keeps a look-alike (%s) distinct from https://brand.com', (_what, input) => {
    const r = normalizeOrigin(input)
    expect(r.ok && r.origin).not.toBe('https://brand.com')
  })

  it.each([
    ['a path', 'https://brand.com/shop'],
    ['a query', 'https://brand.com/?a=1'],
    ['a fragment', 'https://brand.com/#top'],
    ['credentials that make another host the origin', 'https://brand.com@evil.com'],
    ['a user and password', 'https://user:pw@brand.com'],
    ['a backslash that browsers read as a path', 'https://evil.com\\@brand.com'],
  ])('refuses an origin with %s', (_what, input) => {
    expect(normalizeOrigin(input).ok).toBe(false)
  })

  it.each([
    'ftp://brand.com',
    'ws://brand.com',
    'wss://brand.com',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'data:text/html,hi',
    'chrome-extension://abcdefghijklmnop',
  ])('refuses the non-http scheme of %s', (input) => {
    expect(normalizeOrigin(input)).toEqual({ ok: false, reason: `${input}: only http and https origins` })
  })

  it.each(['brand.com', '', 'null', '//brand.com', 'https://'])('refuses %j, which is not a URL', (input) => {
    expect(normalizeOrigin(input)).toMatchObject({ ok: false, reason: expect.stringContaining('is not a URL') })
  })
})
