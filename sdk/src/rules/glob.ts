// Glob matching for `glob` tests: `*` is any run of characters (`/` included, none too), `?` exactly
// one (UTF-16 unit), anything else itself. No RegExp is ever built from a brand's pattern: the
// pattern is split at its stars; the first piece must sit at the start of the text, the last at its
// end, and each piece between is taken at its leftmost place after the one before (leftmost leaves
// the most room, so there is never any backtracking). A piece without `?` is found with indexOf; one
// with `?` with a bit-parallel scan (shift-and), so the work is linear in the text for each piece and
// a hostile pattern like `*a*a*a*…b` against `aaaa…` costs no more than an honest one.

/** Whether `text` matches `pattern` (case as given: callers fold both for case-insensitive tests). */
export function matchGlob(pattern: string, text: string): boolean {
  const pieces = pattern.split('*')
  let pos = 0
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i]!
    const from = i === pieces.length - 1 ? text.length - piece.length : pos
    // The first piece must end by its own length (so start at 0); the last starts exactly at `from`.
    const at = from < pos ? -1 : find(piece, text, from, i ? text.length : piece.length)
    if (at < 0) return false
    pos = at + piece.length
  }
  return true
}

/**
 * Where `piece` (`?`: any one character) first occurs in `text` at or after `from`, ending by `end`;
 * -1 if nowhere. With `?`, shift-and: bit i of the state says the last i+1 characters read match the
 * piece's first i+1; a BigInt holds the bits of a piece of any length, so each character of text
 * costs one shift and one and.
 */
function find(piece: string, text: string, from: number, end: number): number {
  if (!piece.includes('?')) {
    const at = text.indexOf(piece, from)
    return at + piece.length > end ? -1 : at
  }
  let wild = 0n
  for (let i = 0; i < piece.length; i++) if (piece[i] === '?') wild |= 1n << BigInt(i)
  const masks = new Map<string, bigint>()
  for (let i = 0; i < piece.length; i++) if (piece[i] !== '?') masks.set(piece[i]!, (masks.get(piece[i]!) ?? wild) | (1n << BigInt(i)))
  const last = 1n << BigInt(piece.length - 1)
  let state = 0n
  for (let j = from; j < end; j++) {
    state = ((state << 1n) | 1n) & (masks.get(text[j]!) ?? wild)
    if (state & last) return j - piece.length + 1
  }
  return -1
}
