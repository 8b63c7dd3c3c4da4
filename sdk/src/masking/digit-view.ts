// The "digit view" of a text, on which the built-in detectors run: every digit in any script becomes
// its ASCII digit and a percent-encoded separator becomes the separator, so one set of ASCII rules
// finds `４１１１…`, `٤١١١…` and `4111%201111…` alike. Matches are mapped back to the original
// string, where they are replaced: the view is never shown or stored.

/** A text as the detectors see it; `at[i]` is where view position `i` starts in the original. */
export interface DigitView {
  readonly view: string
  /** null: the view has the original's positions (no code point or escape changed length). */
  readonly at: readonly number[] | null
}

// %XX escapes that stand for a separator (or the '@' of an address) in URLs and query strings.
const ESCAPES: Record<string, string> = { '20': ' ', '2D': '-', '2F': '/', '2E': '.', '0A': '\n', '0D': '\r', '09': '\t', '2B': '+', '40': '@' }
const NEEDS_MAP = /[^\0-\x7f]|%/
const ND = /\p{Nd}/u
const DIGITISH = /[\p{Nd}\p{No}]/u
const values = new Map<number, number>()

/** Builds the digit view of `text` (the text itself when it is plain ASCII without escapes). */
export function toDigitView(text: string): DigitView {
  if (!NEEDS_MAP.test(text)) return { view: text, at: null }
  let view = ''
  const at: number[] = []
  for (let i = 0; i < text.length;) {
    at.push(i)
    const c = text.codePointAt(i)!
    const size = c > 0xffff ? 2 : 1
    if (c === 37) {
      const sep = ESCAPES[text.slice(i + 1, i + 3).toUpperCase()]
      if (sep) { view += sep; i += 3; continue }
    }
    const d = c < 128 ? -1 : digitValue(c)
    view += d < 0 ? text.slice(i, i + size) : String.fromCharCode(48 + d)
    // An astral code point that is not a digit keeps both halves: one view position each.
    if (d < 0 && size === 2) at.push(i + 1)
    i += size
  }
  at.push(text.length)
  return { view, at }
}

/**
 * A code point's digit value, or -1. NFKC decides where it maps to one ASCII digit (full-width,
 * superscript, circled); other decimal digits (\p{Nd}: Arabic-Indic, Devanagari, …) come in runs of
 * ten from zero, so the value is the distance from the run's zero.
 */
function digitValue(c: number): number {
  let v = values.get(c)
  if (v !== undefined) return v
  const ch = String.fromCodePoint(c)
  v = -1
  if (DIGITISH.test(ch)) {
    const n = ch.normalize('NFKC')
    if (n.length === 1 && n >= '0' && n <= '9') v = n.charCodeAt(0) - 48
    else if (ND.test(ch)) {
      let start = c
      while (ND.test(String.fromCodePoint(start - 1))) start--
      v = (c - start) % 10
    }
  }
  values.set(c, v)
  return v
}
