import { describe, expect, it } from 'vitest'
import { isBlankText } from '@parley/sdk/contract'

describe('isBlankText', () => {
  it.each([
    ['empty', ''],
    ['spaces and line breaks', ' \n\t\r '],
    ['no-break and ideographic spaces', '\u00a0\u3000\u2007'],
    ['zero-width space, non-joiner and joiner', '\u200b\u200c\u200d'],
    ['byte order mark', '\ufeff'],
    ['word joiner and invisible operators', '\u2060\u2061\u2064'],
    ['soft hyphen', '\u00ad'],
    ['LTR and RTL marks, Arabic letter mark', '\u200e\u200f\u061c'],
    ['bidi embeddings, overrides and isolates', '\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069'],
    ['Hangul fillers', '\u3164\u115f\uffa0'],
    ['a variation selector alone', '\ufe0f'],
    ['C0 and C1 controls', '\u0001\u001b\u0085'],
  ])('counts %s as blank', (_name, text) => {
    expect(isBlankText(text)).toBe(true)
  })

  it.each([
    ['a letter', 'a'],
    ['a letter among invisible characters', '\u200b\u202eb\u2069'],
    ['an emoji joined with zero-width joiners', '\u{1F468}\u200d\u{1F469}\u200d\u{1F467}'],
    ['Arabic with a right-to-left mark', '\u200fمرحبا'],
    ['a hyphen', '-'],
    ['a dot', '.'],
  ])('counts %s as text', (_name, text) => {
    expect(isBlankText(text)).toBe(false)
  })
})
