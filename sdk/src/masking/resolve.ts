import type { MaskFinding, MaskResult } from '../contract/masking.js'
import type { Hit } from './hit.js'

/**
 * Keeps the hits that win where they overlap: card numbers first, then the longest, then the
 * earliest (a deterministic order, so widget and relay mask alike). Returns them left to right.
 * Overlap is checked on a map of taken positions, so the cost is the hits' total length.
 */
export function resolveOverlaps(hits: Hit[], length: number): Hit[] {
  if (hits.length < 2) return hits
  const ranked = [...hits].sort((a, b) => +(a[0] !== 'card') - +(b[0] !== 'card') || (b[2] - b[1]) - (a[2] - a[1]) || a[1] - b[1])
  const taken = new Uint8Array(length)
  const kept = ranked.filter((h) => {
    for (let i = h[1]; i < h[2]; i++) if (taken[i]) return false
    taken.fill(1, h[1], h[2])
    return true
  })
  return kept.sort((a, b) => a[1] - b[1])
}

/** Replaces each hit's `[from, to)` in `text` with its detector's replacement (hits left to right). */
export function applyHits(text: string, hits: readonly Hit[], replacements: Record<string, string>): MaskResult {
  let out = ''
  let last = 0
  const findings: MaskFinding[] = []
  for (const h of hits) {
    // A value split across two messages may have nothing to replace on one side of the join.
    const [detector, start, end, from, to] = h
    if (to > from) {
      out += text.slice(last, from) + replacements[detector]
      last = to
    }
    findings.push({ detector, start, end })
  }
  return { text: out + text.slice(last), findings }
}
