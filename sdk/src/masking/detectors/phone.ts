// Phone numbers: E.164 ("+44 20 7946 0958": '+' and 8–15 digits with separators) and national
// formats with typical grouping ("(555) 123-4567", "555-123-4567", "020 7946 0958": 7–12 digits in
// 2+ groups, the first of 1–5 digits, the others of 2–4). Not phones: a bare run of digits, dates
// (2024-01-05, 05.01.2024), dotted quads (10.20.30.40), and card numbers (resolved before phones).
// The candidate pattern is bounded (≤ 26 characters), so each start position costs a constant. The
// character before is matched (group 1), not looked behind at: Safari before 16.4 cannot parse that.
const CANDIDATE = /(^|[^\w+@.-])(\+?)(\(?\d[\d ().-]{5,24}\d)(?![\w@])/g

/** Calls `found(start, end)` for each phone number in `view`. */
export function findPhones(view: string, found: (start: number, end: number) => void): void {
  CANDIDATE.lastIndex = 0
  for (let m; (m = CANDIDATE.exec(view));) {
    if (isPhone(m[2] === '+', m[3]!)) found(m.index + m[1]!.length, m.index + m[0].length)
  }
}

function isPhone(international: boolean, number: string): boolean {
  const groups = number.match(/\d+/g)!.map((g) => g.length)
  const digits = groups.reduce((a, b) => a + b)
  const shape = groups.join()
  if (international) return digits > 7 && digits < 16
  return digits > 6 && digits < 13 && /^[1-5](,[2-4])+$/.test(shape) && !/^4,2,2|^2,2,4$/.test(shape) &&
    !(groups.length === 4 && /^[\d.]+$/.test(number))
}
