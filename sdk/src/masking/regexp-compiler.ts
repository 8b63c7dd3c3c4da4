import type { BrandPattern } from '../contract/masking.js'

/** How much of a text the browser's RegExp scans for brand patterns (backtracking is capped by size). */
export const MAX_PATTERN_INPUT = 8192

/** Finds a brand pattern's matches as `[start, end)` ranges, left to right, not overlapping. */
export type PatternMatcher = (text: string) => Iterable<readonly [number, number]>
/** Turns a vetted brand pattern into a matcher: RegExp in browsers, a linear-time engine at the relay. */
export type PatternCompiler = (pattern: BrandPattern) => PatternMatcher

/**
 * Brand patterns on the browser's RegExp (unicode, global), over the first MAX_PATTERN_INPUT
 * characters of a text; empty matches are skipped. Patterns are vetted when saved (vetPattern), so
 * what reaches here has no nested or overlapping quantifiers; the cap bounds what is left.
 */
export const regExpCompiler: PatternCompiler = ({ pattern, caseInsensitive }) => {
  const re = new RegExp(pattern, caseInsensitive ? 'giu' : 'gu')
  return (text) => {
    const found: [number, number][] = []
    const input = text.slice(0, MAX_PATTERN_INPUT)
    re.lastIndex = 0
    for (let m; (m = re.exec(input));) {
      if (m[0]) found.push([m.index, m.index + m[0].length])
      else re.lastIndex++
    }
    return found
  }
}
