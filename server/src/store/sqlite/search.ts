import { searchTerms } from '../search-terms.js'

// Turns what a person typed into a transcript search into an FTS5 query that can neither fail nor
// inject FTS syntax: every word is quoted, all must match, and a trailing `*` asks for a prefix.

/** The FTS5 tokenizer of transcript_search (migration 11), for every other table searched the same way. */
export const TRANSCRIPT_TOKENIZER = "unicode61 remove_diacritics 2 categories 'L* N* Co So Sk Mn Me Cf'"

/** The FTS5 MATCH expression for `q`, or null when it holds no searchable word. */
export function searchExpression(q: string): string | null {
  const terms = searchTerms(q).map((t) => (t.prefix ? `"${t.word}"*` : `"${t.word}"`))
  return terms.length ? terms.join(' ') : null
}
