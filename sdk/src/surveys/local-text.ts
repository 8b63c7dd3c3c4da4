import type { LocalText } from '../contract/surveys.js'

/**
 * `text` in `language` (a BCP 47 tag, any case): the exact tag, then its base language (`pt` for
 * `pt-BR`), then `fallback` (the survey's default language) and its base, then the first given.
 * A plain string is every language. Undefined text gives ''.
 */
export function pickText(text: LocalText | undefined, language: string | undefined, fallback = 'en'): string {
  if (text === undefined) return ''
  if (typeof text === 'string') return text
  const entries = Object.entries(text)
  for (const tag of [language, language?.split('-')[0], fallback, fallback.split('-')[0]]) {
    const hit = tag ? entries.find(([key]) => key.toLowerCase() === tag.toLowerCase()) : undefined
    if (hit) return hit[1]
  }
  return entries[0]?.[1] ?? ''
}
