// E-mail addresses, found from each '@' outwards (no pattern to backtrack): a local part of up to 64
// of [A-Za-z0-9._%+-] (or non-ASCII), a domain of up to 255 of [A-Za-z0-9.-] (or non-ASCII) with at
// least one dot and a top-level label of 2+ letters. Expansion stops at another '@', so an '@' flood
// costs one step per character.
const MAX_LOCAL = 64
const MAX_DOMAIN = 255
const LOCAL = /[\w.%+\x80-\uffff-]/
const DOMAIN = /[\dA-Za-z.\x80-\uffff-]/

/** Calls `found(start, end)` for each e-mail address in `view`. */
export function findEmails(view: string, found: (start: number, end: number) => void): void {
  for (let at = view.indexOf('@'); at >= 0; at = view.indexOf('@', at + 1)) {
    let start = at
    // charAt, not [index]: before the text it is '', which no class matches.
    while (start > at - MAX_LOCAL && LOCAL.test(view.charAt(start - 1))) start--
    while (view[start] === '.') start++
    let end = at + 1
    while (end < at + 1 + MAX_DOMAIN && DOMAIN.test(view.charAt(end))) end++
    while (end > at + 1 && /[.-]/.test(view[end - 1]!)) end--
    const domain = view.slice(at + 1, end)
    const dot = domain.lastIndexOf('.')
    if (start === at || dot < 1 || !/^[A-Za-z\x80-\uffff]{2,}$/.test(domain.slice(dot + 1))) continue
    found(start, end)
  }
}
