// US Social Security numbers written AAA-GG-SSSS or AAA GG SSSS (one separator kind), without the
// numbers the SSA never issues: area 000, 666 or 900–999, group 00, serial 0000. The character before
// is matched (group 1) rather than looked behind at: Safari before 16.4 cannot parse lookbehind.
const SSN = /(^|\D)(?!000|666|9)\d{3}([ -])(?!00)\d\d\2(?!0000)\d{4}(?!\d)/g

/** Calls `found(start, end)` for each SSN in `view`. */
export function findSsns(view: string, found: (start: number, end: number) => void): void {
  SSN.lastIndex = 0
  for (let m; (m = SSN.exec(view));) found(m.index + m[1]!.length, m.index + m[0].length)
}
