// The "digit view" of a text, on which the built-in detectors run: the text as NFKC reads it, one
// code point at a time, so one set of ASCII rules finds `４１１１－…`, `٤١١١…`, `4111–1111…` and
// `4111%201111…` alike. Every digit in any script becomes its ASCII digit, dashes and the minus sign
// become '-', other code points that NFKC turns into one ASCII character become it (`．`, `／`,
// full-width letters, the no-break space), a percent-encoded separator becomes the separator, and
// format characters (zero-width space and joiners, soft hyphen, BOM: \p{Cf}) take no place at all.
// Matches are mapped back to the original string, where they are replaced: a skipped character
// inside a match is replaced with it. The view is never shown or stored.

/** A text as the detectors see it; `at[i]` is where view position `i` starts in the original. */
export interface DigitView {
  readonly view: string
  /** null: the view has the original's positions (the text was plain ASCII without escapes). */
  readonly at: readonly number[] | null
}

// %XX escapes that stand for a separator (or the '@' of an address) in URLs and query strings, each
// followed by what it stands for.
const ESCAPES = '%20 %2D-%2F/%2E.%0A\n%0D\r%09\t%2B+%40@'
const NEEDS_MAP = /[^\0-\x7f]|%/
const ND = /\p{Nd}/u
// What each non-ASCII code point reads as, once worked out.
const seen: Record<number, string> = {}

/** Builds the digit view of `text` (the text itself when it is plain ASCII without escapes). */
export function toDigitView(text: string): DigitView {
  if (!NEEDS_MAP.test(text)) return { view: text, at: null }
  let view = ''
  const at: number[] = []
  for (let i = 0, c, k, s; i < text.length; i += k < 0 ? (c > 0xffff ? 2 : 1) : 3) {
    c = text.codePointAt(i)!
    // Every '%' in ESCAPES starts an entry, so a hit is always one.
    k = c === 37 ? ESCAPES.indexOf(text.slice(i, i + 3).toUpperCase()) : -1
    s = k >= 0 ? ESCAPES[k + 3] : c < 128 ? text[i] : (seen[c] ??= readAs(c))
    if (s) at.push(i), (view += s)
  }
  at.push(text.length)
  return { view, at }
}

/**
 * What a non-ASCII code point reads as in the view: nothing for a format character, '-' for a dash.
 * NFKC decides where it maps to one ASCII character (full-width, superscript and circled digits, full-width punctuation); other decimal
 * digits (\p{Nd}: Arabic-Indic, Devanagari, …) come in runs of ten from zero, so the value is the
 * distance from the run's zero. One view position per code point: an astral one that is not a digit
 * becomes U+FFFD, which the detectors treat as any other non-ASCII letter.
 */
function readAs(c: number): string {
  const ch = String.fromCodePoint(c)
  const n = ch.normalize('NFKC').replace(/\p{Cf}/u, '').replace(/[\p{Pd}\u2212]/u, '-')
  if (n < '\x80' && !n[1]) return n
  if (!ND.test(ch)) return c > 0xffff ? '\ufffd' : ch
  let zero = c
  while (ND.test(String.fromCodePoint(zero - 1))) zero--
  return '' + (c - zero) % 10
}
