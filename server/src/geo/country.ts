import { isIP } from 'node:net'
import { Reader, type CountryResponse } from 'mmdb-lib'

// The visitor's country, for the public availability (and through it, rules on `country`): from a
// header the operator's proxy sets (e.g. CF-IPCountry), or from a MaxMind database the operator
// provides, looked up by the client address the relay sees (X-Forwarded-For only with trust-proxy).
// Anything that is not two capital letters (XX and T1 are proxies' "unknown" and "Tor") is absent.

const COUNTRY = /^[A-Z]{2}$/
/** Codes proxies use for "not a country". */
const NOT_A_COUNTRY = new Set(['XX', 'T1', 'ZZ', 'EU', 'AP'])

/** Where the operator says countries come from; both may be left out. */
export interface CountrySources {
  /** A request header the relay's own proxy sets to the client's country (lower-case match). */
  header?: string | null
  /** The bytes of a MaxMind .mmdb database (GeoLite2-Country, GeoIP2-Country or -City). */
  geoIpDb?: Buffer | null
}

/** Finds a request's country; undefined when unknown. */
export type CountryLookup = (headers: Readonly<Record<string, string | string[] | undefined>>, ip: string) => string | undefined

/** A two-letter country code, or undefined for anything else. */
export function countryCode(raw: unknown): string | undefined {
  const v = Array.isArray(raw) ? raw[0] : raw
  if (typeof v !== 'string') return undefined
  const code = v.trim()
  return COUNTRY.test(code) && !NOT_A_COUNTRY.has(code) ? code : undefined
}

/** The lookup the operator configured: the header first, then the database; throws on a database mmdb-lib can't read. */
export function createCountryLookup(sources: CountrySources): CountryLookup {
  const header = sources.header ? sources.header.toLowerCase() : null
  const reader = sources.geoIpDb ? openDatabase(sources.geoIpDb) : null
  const v4Only = reader?.metadata.ipVersion === 4
  return (headers, ip) => {
    if (header) {
      const c = countryCode(headers[header])
      if (c) return c
    }
    if (!reader) return undefined
    // A dual-stack socket reports an IPv4 client as ::ffff:a.b.c.d.
    const addr = ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip
    const family = isIP(addr)
    if (family === 0 || (family === 6 && v4Only)) return undefined
    const rec = reader.get(addr)
    return countryCode(rec?.country?.iso_code ?? rec?.registered_country?.iso_code)
  }
}

function openDatabase(db: Buffer): Reader<CountryResponse> {
  try {
    return new Reader<CountryResponse>(db)
  } catch (err) {
    throw new Error(`the GeoIP database is not a MaxMind .mmdb file (${err instanceof Error ? err.message : String(err)})`)
  }
}
