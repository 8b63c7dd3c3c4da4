import type { OfflineContact } from '@parley/sdk/contract'

/**
 * The contact of a conversation left through the offline form, from anything that says where a
 * conversation came from (a stored Conversation, a conversation.opened frame, a queue entry); null
 * for a live chat or when the fields are missing or malformed.
 */
export function offlineContact(c: { origin?: unknown; contact?: unknown } | null | undefined): OfflineContact | null {
  if (!c || c.origin !== 'offline' || typeof c.contact !== 'object' || c.contact === null) return null
  const { name, email } = c.contact as Partial<OfflineContact>
  return typeof name === 'string' && typeof email === 'string' ? { name, email } : null
}

/** The name a conversation's contact gives, whatever its origin (offline form or pre-chat answers); null when none is given. */
export function contactName(c: { contact?: unknown } | null | undefined): string | null {
  if (!c || typeof c.contact !== 'object' || c.contact === null) return null
  const { name } = c.contact as Partial<OfflineContact>
  return typeof name === 'string' && name.trim() !== '' ? name.trim() : null
}
