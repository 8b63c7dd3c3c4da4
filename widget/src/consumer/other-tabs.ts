import type { ConversationSummary } from '@parley/sdk/contract'
import { fetchTranscript, type Access } from './earlier-conversations.js'
import type { Action, WidgetState } from './state.js'

// The visitor's other tabs of the site. A tab that opens a conversation says so at once on a
// BroadcastChannel, so two tabs rarely open two; a tab whose page logged the customer out says
// FORGET there, so the others drop the visit too (else their next save writes it back); and the relay's listing tells a tab of the
// conversations it shows nothing of (another tab opened them, maybe while this one was closed),
// whose messages it then fetches. The channel is only a shortcut: the relay's fan-out keeps the
// tabs right without it.

/** The site's other tabs: a BroadcastChannel. */
export type TabChannel = Pick<BroadcastChannel, 'postMessage' | 'onmessage'>

/** What a tab posts when its page logged the customer out (Parley('forget')). */
export const FORGET = 0

/** The widget's state and its actions, as the controller holds them. */
type Read = () => WidgetState
type Apply = (a: Action) => void

/**
 * Follows the other tabs on `channel` (a tab that opens a conversation posts its id there); returns
 * what to do with the relay's listing of the visitor's conversations (welcome, or a resume).
 * `access` is null before the first welcome.
 */
export function followOtherTabs(channel: TabChannel | undefined, state: Read, apply: Apply, access: () => Access | null, forget: () => void): (list: readonly ConversationSummary[]) => Promise<void> {
  // Another tab opened a conversation: this one writes into it too, unless it is in an open conversation of its own.
  if (channel) {
    channel.onmessage = ({ data }) => {
      if (data === FORGET) return forget()
      const s = state()
      if (typeof data !== 'string' || (s.convId && !s.ended)) return
      if (s.ended) apply({ type: 'new-chat' })
      apply({ type: 'started', convId: data })
    }
  }
  return async (list) => {
    // Another tab or an earlier visit may have started a conversation this page doesn't show.
    if (!state().convId) {
      const latest = list.find((c) => c.status === 'open')
      if (latest) apply({ type: 'started', convId: latest.convId })
    }
    // Fetches the open conversations this page shows nothing of and hands their messages to the
    // reducer, which picks the current one as every tab does. The resume may replay the same messages: shown once.
    const s = state()
    const shown = new Set([s.convId, ...s.earlier.map((c) => c.convId)])
    const missing = list.filter((c) => c.status === 'open' && c.lastSeq > 0 && (!shown.has(c.convId) || (c.convId === s.convId && !s.messages.length)))
    const rest = access()
    if (!missing.length || !rest) return
    for (const c of missing) {
      try {
        for (const message of await fetchTranscript(rest, c.convId)) apply({ type: 'message', message, mine: false })
      } catch {
        // Offline or refused: the next welcome tries again.
      }
    }
  }
}
