import { SECURITY_CODE_WORDS } from '../security-code-words.js'

// A security code is 3–4 digits standing alone, either within a few characters after a card number
// ("… 1111 123", "… 1111 / 123", optionally after an expiry "12/25") or after one of the words in
// SECURITY_CODE_WORDS ("CVV: 123", "my security code is 1234"). Every quantifier is bounded, so each
// start position costs a constant. The character before a word is matched (group 1), not looked behind
// at: Safari before 16.4 cannot parse lookbehind.
const AFTER_CARD = /[^\dA-Za-z]{0,4}(?:\d\d?[\s/-]{1,3}\d\d(?:\d\d)?[^\dA-Za-z]{1,4})?(\d{3,4})(?!\d)/y
const AFTER_WORD = new RegExp(`(^|[^A-Za-z])(?:${Object.values(SECURITY_CODE_WORDS).join('|')})(?![A-Za-z])\\D{0,12}?(\\d{3,4})(?!\\d)`, 'giu')

/** The security code right after a card that ends at `end`, as `[start, end)`, or null. */
export function findCodeAfterCard(view: string, end: number): [number, number] | null {
  AFTER_CARD.lastIndex = end
  const m = AFTER_CARD.exec(view)
  if (!m) return null
  const to = end + m[0].length
  return [to - m[1]!.length, to]
}

/** Calls `found(start, end)` for each security code that follows a keyword in `view`. */
export function findCodesAfterWords(view: string, found: (start: number, end: number) => void): void {
  AFTER_WORD.lastIndex = 0
  for (let m; (m = AFTER_WORD.exec(view));) {
    const end = m.index + m[0].length
    found(end - m[2]!.length, end)
  }
}
