import type { CannedReplyLike } from './shortcut.js'

// Search over canned replies, the same in the relay (GET ?q=) and in the console's picker: a
// case-insensitive substring of the shortcut, the title or the text. The ranking puts what the
// agent most likely meant first: the shortcut they are typing beats a word somewhere in a text.

function fold(s: string): string {
  return s.toLowerCase()
}

/** Whether `reply` matches `q` (case-insensitive substring of shortcut, title or text; '' matches all). */
export function matchesCannedQuery(reply: CannedReplyLike, q: string): boolean {
  // Every rank is one of these substrings, so a reply matches exactly when it ranks.
  return rankOf(reply, fold(q.trim())) !== null
}

/** Lower is better; null: no match. */
function rankOf(reply: CannedReplyLike, needle: string): number | null {
  if (needle === '') return 5
  const shortcut = fold(reply.shortcut)
  if (shortcut === needle) return 0
  if (shortcut.startsWith(needle)) return 1
  const title = fold(reply.title)
  if (title.startsWith(needle) || title.includes(` ${needle}`)) return 2
  if (shortcut.includes(needle)) return 3
  if (title.includes(needle)) return 4
  if (fold(reply.text).includes(needle)) return 6
  return null
}

/**
 * The replies matching `q`, best first: exact shortcut, shortcut prefix, a title word, shortcut
 * or title substring, then text; within a rank personal before brand, then the shorter shortcut
 * (the one closest to what is typed), then alphabetical.
 */
export function rankCannedReplies<R extends CannedReplyLike>(replies: readonly R[], q: string): R[] {
  const needle = fold(q.trim())
  const ranked: { reply: R; rank: number }[] = []
  for (const reply of replies) {
    const rank = rankOf(reply, needle)
    if (rank !== null) ranked.push({ reply, rank })
  }
  ranked.sort((a, b) => a.rank - b.rank
    || (a.reply.scope === b.reply.scope ? 0 : a.reply.scope === 'personal' ? -1 : 1)
    || a.reply.shortcut.length - b.reply.shortcut.length
    || (a.reply.shortcut < b.reply.shortcut ? -1 : a.reply.shortcut > b.reply.shortcut ? 1 : 0))
  return ranked.map((r) => r.reply)
}
