import type { CannedReply } from '../contract/canned-replies.js'
import { CANNED_SHORTCUT_PATTERN } from '../contract/routing-limits.js'

// The `/shortcut` an agent is typing in the composer, and the reply a complete one names.

/** The part of a reply the composer and the search look at. */
export type CannedReplyLike = Pick<CannedReply, 'scope' | 'shortcut' | 'title' | 'text'> & { ownerAgentId?: string | null | undefined }

/** A `/word` ending at the caret: `query` is what follows `/`, `start`..`end` the span to replace. */
export interface TypedShortcut {
  query: string
  start: number
  end: number
}

/** A whole shortcut, as the contract defines it. */
const SHORTCUT = new RegExp(CANNED_SHORTCUT_PATTERN)

/**
 * The shortcut an agent typed in the canned-reply form, as stored: a leading `/` dropped,
 * lower-cased; null when it is still not one the contract allows.
 */
export function cannedShortcutOf(input: string): string | null {
  const s = input.trim().replace(/^\//, '').toLowerCase()
  return SHORTCUT.test(s) ? s : null
}

/**
 * The `/shortcut` the caret sits at the end of, or null. It must start the text or follow
 * whitespace, so a URL or a date like 1/2 never opens the picker. `/` alone gives an empty query.
 */
export function typedShortcut(text: string, caret: number = text.length): TypedShortcut | null {
  let start = caret
  while (start > 0 && !/\s/.test(text[start - 1]!)) start--
  if (text[start] !== '/') return null
  const query = text.slice(start + 1, caret)
  // What is typed so far: nothing yet, or the start of a shortcut the contract allows.
  return query === '' || SHORTCUT.test(query) ? { query, start, end: caret } : null
}

/**
 * The reply `/shortcut` names for `agentId`: their own personal one first, then the brand's.
 * Another agent's personal reply never matches (the relay does not send them, but a list may be
 * cached across sign-ins).
 */
export function findByShortcut<R extends CannedReplyLike>(replies: readonly R[], shortcut: string, agentId: string | null): R | null {
  let brand: R | null = null
  for (const r of replies) {
    if (r.shortcut !== shortcut) continue
    if (r.scope === 'personal' && agentId !== null && r.ownerAgentId === agentId) return r
    if (r.scope === 'brand') brand ??= r
  }
  return brand
}
