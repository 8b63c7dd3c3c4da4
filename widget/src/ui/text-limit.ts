// The message-length limit as the writer nears it. The relay refuses text over
// welcome.limits.maxTextLength; a text box that silently cut a long paste would drop words without
// a sign, so the box keeps all of it and says how far over it is. Pure.
//
// The relay counts UTF-16 code units, so an emoji weighs 2 and a family emoji 11. Over the limit,
// the hint says how many characters (as the writer sees them) must go from the end for the rest to
// fit: 2,001 emoji under 4,000 are one character too many, not two. Under the limit it counts units,
// which is how many more plain letters fit (an emoji takes two of them).

/** What to tell the writer: nothing yet, characters left, or characters too many. */
export type LimitHint = { kind: 'none' } | { kind: 'left'; n: number } | { kind: 'over'; n: number }

/** The share of the limit from which the characters left are shown. */
export const NEAR_LIMIT = 0.9

/** The characters of `text` as a reader counts them: grapheme clusters, or code points where Intl.Segmenter is missing. */
function characters(text: string): string[] {
  return typeof Intl.Segmenter === 'function' ? Array.from(new Intl.Segmenter().segment(text), (s) => s.segment) : Array.from(text)
}

/** How many characters must go from the end of `text` for it to fit in `max` UTF-16 code units. */
function charactersOver(text: string, max: number): number {
  let units = 0
  let over = 0
  for (const c of characters(text)) {
    units += c.length
    if (units > max) over++
  }
  return over
}

/** The hint for `text` (measured in UTF-16 code units, as the relay counts) under `max` (null: not known yet). */
export function textLimitHint(text: string, max: number | null): LimitHint {
  const length = text.length
  if (max === null || length < Math.floor(max * NEAR_LIMIT)) return { kind: 'none' }
  return length > max ? { kind: 'over', n: charactersOver(text, max) } : { kind: 'left', n: max - length }
}
