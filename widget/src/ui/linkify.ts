// Splits message text into plain runs and links. Only http, https and mailto become links; the
// text itself is always rendered as text (never parsed as HTML), so script in a message stays inert.

/** A run of text, or a link with the exact text it came from. */
export type Segment = { text: string } | { text: string; href: string }

const CANDIDATE = /\b(?:https?:\/\/|mailto:)[^\s<>"']+|\bwww\.[^\s<>"']+/gi
const TRAILING = /[.,;:!?)\]}'"]+$/

/** The segments of `text`, in order; joining their `text` gives back `text`. */
export function linkify(text: string): Segment[] {
  const out: Segment[] = []
  let last = 0
  for (const m of text.matchAll(CANDIDATE)) {
    let raw = m[0]
    const trail = TRAILING.exec(raw)
    if (trail) raw = raw.slice(0, -trail[0].length)
    const href = safeHref(raw)
    if (!href) continue
    if (m.index! > last) out.push({ text: text.slice(last, m.index) })
    out.push({ text: raw, href })
    last = m.index! + raw.length
  }
  if (last < text.length) out.push({ text: text.slice(last) })
  return out
}

/** The URL to link to, or null when it is not a safe http(s)/mailto address. */
export function safeHref(raw: string): string | null {
  const candidate = /^www\./i.test(raw) ? `https://${raw}` : raw
  try {
    const u = new URL(candidate)
    if (u.protocol === 'http:' || u.protocol === 'https:') return u.hostname ? u.href : null
    if (u.protocol === 'mailto:') return /^[^@\s]+@[^@\s]+$/.test(decodeURIComponent(u.pathname)) ? u.href : null
  } catch {
    return null
  }
  return null
}
