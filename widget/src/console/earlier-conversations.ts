import type { Conversation } from '@parley/sdk/contract'

// Whose earlier conversations are listed beside a chat, and which of them. Today a visitor is known
// by the visitor id their browser keeps; once the widget can say who a signed-in customer is (a
// verified customer id), HistoryOwner gains a `customer` kind and the listing asks for that
// customer's conversations across browsers instead. Views and the API call only ever see a HistoryOwner.

/** Whose conversations to list. */
export type HistoryOwner = { kind: 'visitor'; visitorId: string }

/** Conversations listed per page beside a chat. */
export const EARLIER_PAGE = 10

/** The owner of a chat's history: its visitor. */
export function historyOwnerOf(chat: { visitorId: string }): HistoryOwner {
  return { kind: 'visitor', visitorId: chat.visitorId }
}

/** The conversations of a page other than the chat on screen, newest first as listed. */
export function earlierThan(page: readonly Conversation[], currentConvId: string): Conversation[] {
  return page.filter((c) => c.convId !== currentConvId)
}
