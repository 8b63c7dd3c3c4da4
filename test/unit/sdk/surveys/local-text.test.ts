import { describe, expect, it } from 'vitest'
import type { LocalText } from '../../../../sdk/src/contract/surveys.js'
import { pickText } from '../../../../sdk/src/surveys/surveys.js'

// pickText: (text, language, fallback, expected) rows for each step of the fallback chain.

const text: LocalText = { 'pt-BR': 'Olá (BR)', pt: 'Olá', en: 'Hello', fr: 'Bonjour' }

describe('pickText', () => {
  it.each<[string, LocalText | undefined, string | undefined, string | undefined, string]>([
    ['the exact tag', text, 'pt-BR', undefined, 'Olá (BR)'],
    ['the exact tag in another case', text, 'PT-br', undefined, 'Olá (BR)'],
    ['the base language of an absent region', text, 'pt-PT', undefined, 'Olá'],
    ['the base language when only it exists', { pt: 'Olá', en: 'Hello' }, 'pt-BR', undefined, 'Olá'],
    ['the fallback for a missing language', text, 'de', 'fr', 'Bonjour'],
    ['the base of the fallback', { fr: 'Bonjour', de: 'Hallo' }, 'it', 'fr-CA', 'Bonjour'],
    ['English by default', text, 'de', undefined, 'Hello'],
    ['the first given when nothing matches', { fr: 'Bonjour', de: 'Hallo' }, 'it', 'es', 'Bonjour'],
    ['the fallback with no language', text, undefined, 'fr', 'Bonjour'],
    ['a plain string for any language', 'Name', 'ja', undefined, 'Name'],
    ['empty for no text', undefined, 'en', undefined, ''],
    ['no inherited member for a language named after one', { en: 'Hello' }, 'constructor', undefined, 'Hello'],
  ])('picks %s', (_, given, language, fallback, expected) => {
    expect(fallback === undefined ? pickText(given, language) : pickText(given, language, fallback)).toBe(expected)
  })
})
