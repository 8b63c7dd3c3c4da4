// Glob matching for `glob` tests: `*` is any run of characters (`/` included, none too), `?` exactly
// one (UTF-16 unit), anything else itself. No RegExp is ever built from a brand's pattern: the
// pattern is split at its stars, the first and last pieces are anchored at the ends of the text, and
// each piece between is found at its leftmost place after the one before (leftmost leaves the most
// room, so no backtracking is needed). A piece without `?` is found with indexOf; one with `?` with a
// bit-parallel scan (shift-and), so the work is linear in the text for each piece and a hostile
// pattern like `*a*a*a*…b` against `aaaa…` costs no more than an honest one.

/** Whether `text` matches `pattern` (case as given: callers fold both for case-insensitive tests). */
export function matchGlob(pattern: string, text: string): boolean {
  const parts = pattern.split('*')
  const first = parts[0]!
  if (parts.length === 1) return first.length === text.length && isAt(first, text, 0)
  const last = parts[parts.length - 1]!
  const end = text.length - last.length
  if (end < first.length || !isAt(first, text, 0) || !isAt(last, text, end)) return false
  let pos = first.length
  for (let i = 1; i < parts.length - 1; i++) {
    const piece = parts[i]!
    const at = piece.includes('?') ? findWild(piece, text, pos, end) : text.indexOf(piece, pos)
    if (at < 0 || at + piece.length > end) return false
    pos = at + piece.length
  }
  return true
}

/** Whether `piece` (with `?` for any one character) is in `text` at `at`. */
function isAt(piece: string, text: string, at: number): boolean {
  for (let i = 0; i < piece.length; i++) if (piece[i] !== '?' && piece[i] !== text[at + i]) return false
  return true
}

/**
 * Where `piece` (with `?`) first occurs in `text` from `from`, ending at or before `end`; -1 if not.
 * Shift-and: bit i of the state says the last i+1 characters read match the piece's first i+1, one
 * 32-bit word per 32 characters of the piece, so each character of text costs one pass over the words.
 */
function findWild(piece: string, text: string, from: number, end: number): number {
  const words = (piece.length + 31) >>> 5
  const wild = new Int32Array(words)
  const masks = new Map<string, Int32Array>()
  for (let i = 0; i < piece.length; i++) if (piece[i] === '?') wild[i >>> 5]! |= 1 << (i & 31)
  for (let i = 0; i < piece.length; i++) {
    const c = piece[i]!
    if (c !== '?' && !masks.has(c)) masks.set(c, wild.slice())
    if (c !== '?') masks.get(c)![i >>> 5]! |= 1 << (i & 31)
  }
  const state = new Int32Array(words)
  const top = (piece.length - 1) & 31
  for (let j = from; j < end; j++) {
    const mask = masks.get(text[j]!) ?? wild
    let carry = 1
    for (let w = 0; w < words; w++) {
      const s = state[w]!
      state[w] = ((s << 1) | carry) & mask[w]!
      carry = s >>> 31
    }
    if ((state[words - 1]! >>> top) & 1) return j - piece.length + 1
  }
  return -1
}
