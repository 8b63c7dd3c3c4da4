import type { ConversationSummary } from '@parley/sdk/contract'

// The agent may close the chat while the visitor's tab is shut or offline: the closing frame is
// then never seen, and only the relay's listing (welcome, conversation.resumed) or a refused
// message tells the widget. Without this the chat on screen stays "open" and every message to it
// is refused for good.

/** Whether the relay's listing says the conversation on screen is closed. */
export function isListedClosed(convId: string | null, listed: readonly ConversationSummary[]): boolean {
  return convId !== null && listed.some((c) => c.convId === convId && c.status === 'closed')
}
