// Phone numbers: E.164 ("+44 20 7946 0958": '+' and 8–15 digits with separators) and national
// formats with typical grouping ("(555) 123-4567", "555-123-4567", "020 7946 0958": 7–12 digits in
// 2+ groups, the first of 1–5 digits, the others of 2–4). Not phones: a bare run of digits, dates
// (2024-01-05, 05.01.2024), dotted quads (10.20.30.40), and card numbers (resolved before phones).
// The candidate pattern is bounded (≤ 26 characters), so each start position costs a constant.
const CANDIDATE = /(?<![\w+@.-])(\+?)(\(?\d[\d ().-]{5,24}\d)(?![\w@])/g
const GROUPS = /\d+/g
const SEPARATORS = /[^\d()]+/g

/** Calls `found(start, end)` for each phone number in `view`. */
export function findPhones(view: string, found: (start: number, end: number) => void): void {
  CANDIDATE.lastIndex = 0
  for (let m; (m = CANDIDATE.exec(view));) {
    if (isPhone(m[1] === '+', m[2]!)) found(m.index, m.index + m[0].length)
  }
}

function isPhone(international: boolean, number: string): boolean {
  const groups = number.match(GROUPS)!.map((g) => g.length)
  const digits = groups.reduce((a, b) => a + b, 0)
  if (international) return digits >= 8 && digits <= 15
  if (digits < 7 || digits > 12 || groups.length < 2) return false
  if (groups[0]! > 5 || groups.slice(1).some((n) => n < 2 || n > 4)) return false
  const seps = number.match(SEPARATORS) ?? []
  const dotted = seps.every((s) => s === '.')
  const shape = groups.join()
  if (shape.startsWith('4,2,2') || shape === '2,2,4') return false
  return !(dotted && groups.length === 4)
}
