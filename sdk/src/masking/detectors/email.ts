// E-mail addresses, found from each '@' outwards (no pattern to backtrack): a local part of up to 64
// of [A-Za-z0-9._%+-] (or non-ASCII), a domain of up to 255 of [A-Za-z0-9.-] (or non-ASCII) with at
// least one dot and a top-level label of 2+ letters. Expansion stops at another '@', so an '@' flood
// costs one step per character.
const MAX_LOCAL = 64
const MAX_DOMAIN = 255

/** Calls `found(start, end)` for each e-mail address in `view`. */
export function findEmails(view: string, found: (start: number, end: number) => void): void {
  for (let at = view.indexOf('@'); at >= 0; at = view.indexOf('@', at + 1)) {
    let start = at
    while (start > at - MAX_LOCAL && start > 0 && isLocalChar(view.charCodeAt(start - 1))) start--
    while (view.charCodeAt(start) === 46) start++
    let end = at + 1
    while (end < at + 1 + MAX_DOMAIN && isDomainChar(view.charCodeAt(end))) end++
    while (end > at + 1 && (view.charCodeAt(end - 1) === 46 || view.charCodeAt(end - 1) === 45)) end--
    const dot = view.lastIndexOf('.', end - 1)
    if (start === at || dot <= at + 1 || end - dot < 3 || !/^[A-Za-z\x80-\uffff]+$/.test(view.slice(dot + 1, end))) continue
    found(start, end)
  }
}

function isLocalChar(c: number): boolean {
  return isDomainChar(c) || c === 95 || c === 37 || c === 43
}

function isDomainChar(c: number): boolean {
  return (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122) || c === 46 || c === 45 || c > 127
}
