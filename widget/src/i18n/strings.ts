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

/**
 * Languages the widget ships, and which are written right to left. English is built in; the others
 * are separate chunks, so a visitor downloads only their own language.
 */
export const LANGUAGES: Record<string, { load: () => Promise<Strings>; rtl: boolean }> = {
  en: { load: async () => EN, rtl: false },
  ar: { load: async () => (await import('./ar.js')).AR, rtl: true },
}

/** The language to use: the first of `wanted` (e.g. navigator.languages) we have, else `fallback`. */
export function pickLanguage(wanted: readonly string[], fallback: string): string {
  for (const w of wanted) {
    const base = w.toLowerCase().split('-')[0]!
    if (LANGUAGES[base]) return base
  }
  return LANGUAGES[fallback.toLowerCase().split('-')[0]!] ? fallback.toLowerCase().split('-')[0]! : 'en'
}

/** The table for `lang` with the brand's overrides applied. */
export async function stringsFor(lang: string, overrides: Partial<Record<StringKey, string | undefined>> = {}): Promise<Strings> {
  const base = (await LANGUAGES[lang]?.load()) ?? EN
  const out = { ...base }
  for (const [k, v] of Object.entries(overrides)) if (v && k in out) out[k as StringKey] = v
  return out
}

/** Fills the `%s` of a string. */
export function fill(s: string, arg: string | number): string {
  return s.replace('%s', String(arg))
}
