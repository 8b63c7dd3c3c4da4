// IBANs: country code, 2 check digits and 11–30 letters or digits (15–34 in all), optionally in
// groups split by single spaces; the longest prefix whose mod-97 is 1 is the IBAN. A candidate
// starts only after a non-alphanumeric, and each costs at most 34 × 20 steps.
const CANDIDATE = /(?<![A-Za-z0-9])[A-Z]{2}\d\d(?: ?[A-Z0-9]){11,30}/g

/** Calls `found(start, end)` for each IBAN with a valid checksum in `view`. */
export function findIbans(view: string, found: (start: number, end: number) => void): void {
  CANDIDATE.lastIndex = 0
  for (let m; (m = CANDIDATE.exec(view));) {
    const chars = m[0].replace(/ /g, '')
    let len = chars.length
    while (len >= 15 && !isMod97Valid(chars, len)) len--
    if (len < 15) { CANDIDATE.lastIndex = m.index + 1; continue }
    let end = m.index
    for (let n = 0; n < len; end++) if (view[end] !== ' ') n++
    found(m.index, end)
    CANDIDATE.lastIndex = end
  }
}

/** ISO 13616: the first `len` characters, first four moved to the end, letters as 10–35, mod 97 is 1. */
function isMod97Valid(chars: string, len: number): boolean {
  let r = 0
  for (let k = 4; k < len + 4; k++) {
    const v = parseInt(chars[k < len ? k : k - len]!, 36)
    r = (r * (v > 9 ? 100 : 10) + v) % 97
  }
  return r === 1
}
