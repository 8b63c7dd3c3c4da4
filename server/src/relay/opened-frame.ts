import { messagePreview, type ConversationOpened, type ConversationPreviewed } from '@parley/sdk/contract'
import type { ConversationRecord, MessageRecord } from '../store/store.js'

// What the brand's agents learn of a new conversation, whichever way it opened: a visitor's first
// message, conversation.open (with or without pre-chat answers), or the offline form.

/**
 * The conversation.opened frame for a conversation just stored: its routing always (`{}` when no
 * answers set any), the context and contact (offline form or pre-chat answers) when it has them, and `preview` only when a
 * first message gave text or files (an open with answers has none yet).
 */
export function openedFrame(c: ConversationRecord, first?: Pick<MessageRecord, 'text' | 'attachments'>): ConversationOpened {
  return {
    type: 'conversation.opened', convId: c.convId, visitorId: c.visitorId, at: c.createdAt,
    ...(first !== undefined ? { preview: messagePreview(first.text, first.attachments) } : {}),
    ...(c.context ? { context: c.context } : {}),
    ...(c.origin === 'offline' ? { origin: 'offline' as const } : {}),
    ...(c.contact ? { contact: c.contact } : {}),
    routing: c.routing,
  }
}

/** The conversation.previewed frame for the first message of a conversation opened without one. */
export function previewedFrame(m: MessageRecord): ConversationPreviewed {
  return { type: 'conversation.previewed', convId: m.convId, preview: messagePreview(m.text, m.attachments) }
}
