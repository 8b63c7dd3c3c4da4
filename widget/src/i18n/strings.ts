// Every string the consumer widget shows, in one table per language. Brands override the ones in
// WIDGET_TEXT_KEYS through their config; `%s` takes one argument.

/** The English table is the reference: every language has exactly these keys. */
export const EN = {
  launcher: 'Open chat',
  closeChat: 'Close chat',
  title: 'Chat with us',
  greeting: 'Hi! How can we help?',
  placeholder: 'Write a message…',
  message: 'Message',
  send: 'Send',
  sending: 'Sending…',
  sent: 'Sent',
  failed: 'Not delivered',
  retry: 'Try again',
  remove: 'Remove',
  you: 'You',
  agent: 'Agent',
  typing: '%s is typing…',
  someone: 'Someone',
  assigned: '%s joined the chat',
  closed: 'This chat has ended.',
  newChat: 'Start a new chat',
  offline: 'Connection lost. Your messages will be sent when it is back.',
  connecting: 'Connecting…',
  unread: '%s new messages',
  newMessage: 'New message',
  shareActivity: 'Share my pages viewed and time on site with the agent',
  messages: 'Messages',
} as const

/** A key of the string table. */
export type StringKey = keyof typeof EN
/** A complete string table. */
export type Strings = Record<StringKey, string>

/** Fills the `%s` of a string. */
export function fill(s: string, arg: string | number): string {
  return s.replace('%s', String(arg))
}
