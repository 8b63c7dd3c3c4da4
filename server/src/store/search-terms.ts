// What a person typed into a transcript search, as the words both stores look up: runs of the
// characters the transcript index keeps (letters, digits, and emoji with their skin tones, variation
// selectors and zero-width joiners), at most MAX_TERMS of them, each a prefix when it ends in `*`.

/** A word and its optional trailing `*`. */
const WORD = /[\p{L}\p{N}\p{Co}\p{So}\p{Sk}\p{Mn}\p{Me}\p{Cf}]+\*?/gu

/** The words a search looks up at most; the rest of a longer query is ignored. */
const MAX_TERMS = 16

/** One searched word: every one must match; a prefix matches any word it begins. */
export interface SearchTerm {
  word: string
  prefix: boolean
}

/** The terms of `q` ([] when it holds no searchable word). */
export function searchTerms(q: string): SearchTerm[] {
  return (q.match(WORD) ?? []).slice(0, MAX_TERMS)
    .map((w) => (w.endsWith('*') ? { word: w.slice(0, -1), prefix: true } : { word: w, prefix: false }))
}
