// Every string the consumer widget shows, in one table per language. Brands override the ones in
// WIDGET_TEXT_KEYS through their config; `%s` takes one argument. A counted string has one form per
// plural category of its language (Intl.PluralRules: Arabic has six, English two), so "1 new
// message" is never "1 new messages".

import type { Counted } from './plural.js'

/** The English table is the reference: every language has exactly these keys. */
export const EN = {
  /** The language tag dates, times and plurals are formatted in (stringsFor narrows it to the visitor's region). */
  locale: 'en',
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
  unread: { one: '%s new message', other: '%s new messages' } as Counted,
  newMessage: { one: 'New message', other: 'New messages' } as Counted,
  shareActivity: 'Share my pages viewed and time on site with the agent',
  messages: 'Messages',
  seen: 'Seen',
  chatEnded: 'Chat ended',
  earlier: 'Show earlier conversations',
  charsLeft: { one: '%s character left', other: '%s characters left' } as Counted,
  charsOver: { one: 'Too long by %s character: shorten it to send.', other: 'Too long by %s characters: shorten it to send.' } as Counted,
} as const

/** A key of the string table. */
export type StringKey = keyof typeof EN
/** A key of a counted string. */
export type CountedKey = { [K in StringKey]: (typeof EN)[K] extends string ? never : K }[StringKey]
/** A complete string table. */
export type Strings = { [K in StringKey]: K extends CountedKey ? Counted : string }

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

/**
 * The table for `lang` with the brand's overrides applied (plain strings only). `wanted` (the
 * browser's languages) picks the regional variant for dates: an en-GB visitor of an English widget
 * gets 12/03, an en-US one 3/12.
 */
export async function stringsFor(
  lang: string, overrides: Partial<Record<StringKey, string | undefined>> = {},
  wanted: readonly string[] = globalThis.navigator?.languages ?? [],
): Promise<Strings> {
  const base = (await LANGUAGES[lang]?.load()) ?? EN
  const out = { ...base } as Record<string, unknown>
  for (const [k, v] of Object.entries(overrides)) if (v && k !== 'locale' && typeof out[k] === 'string') out[k] = v
  out.locale = regionalLocale(wanted, base.locale)
  return out as Strings
}

/** The first of `wanted` in the language `lang` (e.g. `en-GB` for `en`), if it is a valid tag; else `lang`. */
export function regionalLocale(wanted: readonly string[], lang: string): string {
  for (const w of wanted) {
    if (w.toLowerCase().split('-')[0] !== lang) continue
    try {
      return Intl.getCanonicalLocales(w)[0] ?? lang
    } catch {
      // not a valid tag: keep looking
    }
  }
  return lang
}


