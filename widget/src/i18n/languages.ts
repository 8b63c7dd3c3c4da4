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

