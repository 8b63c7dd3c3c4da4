import { EN, type StringKey, type Strings } from './strings.js'

// Which languages the widget ships and how each is loaded. Kept apart from the string tables so a
// language file can import the Strings type without an import cycle (strings -> ar -> strings).

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
