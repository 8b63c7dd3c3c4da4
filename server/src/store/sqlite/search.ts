// Turns what a person typed into a transcript search into an FTS5 query that can neither fail nor
// inject FTS syntax: every word is quoted, all must match, and a trailing `*` asks for a prefix.

// The characters the index keeps in its tokens (migration 11): letters, digits, and emoji with their
// skin tones, variation selectors and zero-width joiners.
const WORD = /[\p{L}\p{N}\p{Co}\p{So}\p{Sk}\p{Mn}\p{Me}\p{Cf}]+\*?/gu

/** The FTS5 tokenizer of transcript_search (migration 11), for every other table searched the same way. */
export const TRANSCRIPT_TOKENIZER = "unicode61 remove_diacritics 2 categories 'L* N* Co So Sk Mn Me Cf'"

/** The FTS5 MATCH expression for `q`, or null when it holds no searchable word. */
export function searchExpression(q: string): string | null {
  const terms = (q.match(WORD) ?? []).slice(0, 16).map((w) => (w.endsWith('*') ? `"${w.slice(0, -1)}"*` : `"${w}"`))
  return terms.length ? terms.join(' ') : null
}
