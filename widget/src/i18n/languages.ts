import { EN, type Strings } from './strings.js'

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


/**
 * The first of `wanted` in the language of `lang` (e.g. `en-GB` for `en`), if it is a valid tag;
 * else `lang`. Dates and plurals follow the visitor's region: an en-GB visitor of an English widget
 * reads 12/03, an en-US one 3/12.
 */
export function regionalLocale(wanted: readonly string[], lang: string): string {
  const base = lang.toLowerCase().split('-')[0]
  for (const w of wanted) {
    if (w.toLowerCase().split('-')[0] !== base) continue
    try {
      return Intl.getCanonicalLocales(w)[0] ?? lang
    } catch {
      // not a valid tag: keep looking
    }
  }
  return lang
}
