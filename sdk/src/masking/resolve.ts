import type { MaskFinding } from '../contract/masking.js'
import type { Hit } from './hit.js'

/**
 * Keeps the hits that win where they overlap: card numbers first, then the longest, then the
 * earliest (a deterministic order, so widget and relay mask alike). Returns them left to right.
 */
export function resolveOverlaps(hits: Hit[]): Hit[] {
  if (hits.length < 2) return hits
  const ranked = [...hits].sort((a, b) => rank(a) - rank(b) || (b.end - b.start) - (a.end - a.start) || a.start - b.start)
  const kept: Hit[] = []
  for (const h of ranked) if (!kept.some((k) => h.start < k.end && k.start < h.end)) kept.push(h)
  return kept.sort((a, b) => a.start - b.start)
}

/** Replaces each hit's `[from, to)` in `text` with its detector's replacement (hits left to right). */
export function applyHits(text: string, hits: readonly Hit[], replacement: (detector: string) => string): { text: string; findings: MaskFinding[] } {
  let out = ''
  let last = 0
  const findings: MaskFinding[] = []
  for (const h of hits) {
    // A value split across two messages may have nothing to replace on one side of the join.
    if (h.to > h.from) {
      out += text.slice(last, h.from) + replacement(h.detector)
      last = h.to
    }
    findings.push({ detector: h.detector, start: h.start, end: h.end })
  }
  return { text: out + text.slice(last), findings }
}

function rank(h: Hit): number {
  return h.detector === 'card' ? 0 : 1
}
