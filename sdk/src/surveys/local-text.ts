import type { LocalText } from '../contract/surveys.js'

/**
 * `text` in `language` (a BCP 47 tag, any case): the exact tag, then its base language (`pt` for
 * `pt-BR`), then `fallback` (the survey's default language) and its base, then the first given.
 * A plain string is every language. Undefined text gives ''.
 */
export function pickText(text: LocalText | undefined, language: string | undefined, fallback = 'en'): string {
  throw new Error('not yet')
}
