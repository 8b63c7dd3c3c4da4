// Which of a visitor's conversations the widget shows as the current one. Every tab of a visitor
// hears of every conversation (the relay fans out to all their connections, and a reload lists
// them in welcome), so each tab must reach the same answer on its own: the rule below depends only
// on the conversations, never on which tab heard of them first. Pure.

/** A conversation as the widget knows it. */
export interface ConversationMark {
  convId: string
  /** When its first message was stored (Infinity while none is: it is being opened now). */
  startedAt: number
  /** The relay closed it. */
  ended: boolean
}

/**
 * Whether `arrived`, a conversation the widget does not show yet, becomes the current one in place
 * of `current` (which then moves to the earlier conversations). An open conversation beats an ended
 * one; between two of the same kind the one started later wins, ties broken by id as the relay
 * orders its listing. An ended conversation never becomes current: it is history.
 */
export function isNewCurrent(current: ConversationMark | null, arrived: ConversationMark): boolean {
  if (arrived.ended) return false
  if (!current || current.ended) return true
  if (arrived.startedAt !== current.startedAt) return arrived.startedAt > current.startedAt
  return arrived.convId > current.convId
}
