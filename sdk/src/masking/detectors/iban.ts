// IBANs: country code, 2 check digits and 11–30 letters or digits (15–34 in all), optionally in
// groups split by single spaces; the longest prefix whose mod-97 is 1 is the IBAN. A candidate
// starts only after a non-alphanumeric (matched as group 1: Safari before 16.4 cannot parse
// lookbehind), and each costs one pass over at most 34 characters.
const CANDIDATE = /(^|[^A-Za-z\d])([A-Z]{2}\d\d(?: ?[A-Z0-9]){11,30})/g

/** Calls `found(start, end)` for each IBAN with a valid checksum in `view`. */
export function findIbans(view: string, found: (start: number, end: number) => void): void {
  CANDIDATE.lastIndex = 0
  for (let m; (m = CANDIDATE.exec(view));) {
    const start = m.index + m[1]!.length
    const len = validLength(m[2]!.replace(/ /g, ''))
    let end = start
    for (let n = 0; n < len; end++) if (view[end] !== ' ') n++
    if (len) found(start, end)
    // A failed candidate's first letter is no start, so the next try begins after it.
    CANDIDATE.lastIndex = end + +!len
  }
}

/**
 * The longest prefix (15+ characters) of `chars` that is a valid IBAN, or 0. ISO 13616: with the
 * first four characters moved to the end and letters read as 10–35, the number mod 97 is 1. Every
 * prefix is checked in one pass: the moved four add `head` after the rest, scaled by `scale`.
 */
function validLength(chars: string): number {
  let head = 0
  let scale = 1
  let rest = 0
  let best = 0
  for (let k = 0; k < chars.length; k++) {
    const v = parseInt(chars[k]!, 36)
    const f = v > 9 ? 100 : 10
    if (k < 4) {
      head = (head * f + v) % 97
      scale = (scale * f) % 97
    } else {
      rest = (rest * f + v) % 97
      if (k > 13 && (rest * scale + head) % 97 === 1) best = k + 1
    }
  }
  return best
}
