import { describe, expect, it } from 'vitest'
import { countryCode, createCountryLookup } from '../../../../server/src/geo/country.js'
import { writeMmdb } from '../../../helpers/mmdb-writer.js'

const DB = writeMmdb({
  '203.0.113.0/24': { country: { iso_code: 'NZ', names: { en: 'New Zealand' } } },
  '198.51.100.7/32': { registered_country: { iso_code: 'DE' } },
  '192.0.2.0/24': { country: { iso_code: 'XX' } },
})

describe('countryCode', () => {
  const table: [unknown, string | undefined][] = [
    ['FR', 'FR'], [' fr', undefined], ['fr', undefined], ['XX', undefined], ['T1', undefined], ['ZZ', undefined],
    ['FRA', undefined], ['', undefined], [undefined, undefined], [['JP', 'FR'], 'JP'], ['F\u0130', undefined], ['<script>', undefined],
  ]
  it.each(table)('reads %j as %j', (raw, expected) => {
    expect(countryCode(raw)).toBe(expected)
  })
})

describe('the test MMDB writer', () => {
  it('writes a database the relay\'s reader (mmdb-lib) opens and searches', () => {
    const lookup = createCountryLookup({ geoIpDb: writeMmdb({ '10.1.2.3/32': { country: { iso_code: 'MX' } }, '10.1.0.0/16': { country: { iso_code: 'CA' } } }) })
    expect(lookup({}, '10.1.200.1')).toBe('CA')
    // The longer prefix wins where it is inserted inside the shorter one.
    expect(lookup({}, '10.1.2.3')).toBe('MX')
    expect(lookup({}, '10.2.0.1')).toBeUndefined()
  })
})

describe('createCountryLookup', () => {
  it('takes the named header when it holds a country', () => {
    const lookup = createCountryLookup({ header: 'CF-IPCountry' })
    expect(lookup({ 'cf-ipcountry': 'SE' }, '203.0.113.9')).toBe('SE')
    expect(lookup({ 'cf-ipcountry': 'XX' }, '203.0.113.9')).toBeUndefined()
    expect(lookup({}, '203.0.113.9')).toBeUndefined()
  })

  it('finds the address in the GeoIP database, also as an IPv4-mapped IPv6 address', () => {
    const lookup = createCountryLookup({ geoIpDb: DB })
    expect(lookup({}, '203.0.113.200')).toBe('NZ')
    expect(lookup({}, '::ffff:203.0.113.200')).toBe('NZ')
    expect(lookup({}, '198.51.100.7')).toBe('DE')
    expect(lookup({}, '192.0.2.1')).toBeUndefined()
    expect(lookup({}, '127.0.0.1')).toBeUndefined()
    expect(lookup({}, '2001:db8::1')).toBeUndefined()
    expect(lookup({}, 'not an address')).toBeUndefined()
  })

  it('prefers the header, and falls back to the database when the header says nothing usable', () => {
    const lookup = createCountryLookup({ header: 'x-country', geoIpDb: DB })
    expect(lookup({ 'x-country': 'PT' }, '203.0.113.1')).toBe('PT')
    expect(lookup({ 'x-country': 'T1' }, '203.0.113.1')).toBe('NZ')
  })

  it('looks nothing up when no source is configured', () => {
    expect(createCountryLookup({})({ 'cf-ipcountry': 'SE' }, '203.0.113.9')).toBeUndefined()
  })

  it('refuses a file that is not a MaxMind database', () => {
    expect(() => createCountryLookup({ geoIpDb: Buffer.from('not a database') })).toThrow()
  })
})
