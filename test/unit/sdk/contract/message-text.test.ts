import { describe, expect, it } from 'vitest'
import { isBlankText, messagePreview } from '@parley/sdk/contract'

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
    ['tag characters', '\u{E0001}\u{E0041}\u{E007F}'],
    ['interlinear annotation controls', '\ufff9\ufffa\ufffb'],
    ['musical symbol formatting', '\u{1D173}\u{1D17A}'],
    ['supplementary variation selectors', '\u{E0100}\u{E01EF}'],
    ['shorthand format controls', '\u{1BCA0}\u{1BCA3}'],
    ['the Mongolian vowel separator and free variation selectors', '\u180e\u180b\u180f'],
    ['invisible times, separator and plus', '\u2062\u2063\u2064'],
    ['deprecated format controls', '\u206a\u206f'],
    ['the combining grapheme joiner', '\u034f'],
    ['Hangul choseong and jungseong fillers', '\u115f\u1160'],
    ['Khmer inherent vowels', '\u17b4\u17b5'],
    ['reserved default-ignorable code points', '\ufff0\u{E0FFF}'],
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
    ['a subdivision flag (black flag and tag characters)', '\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}'],
    ['an ideograph with a supplementary variation selector', '\u845b\u{E0100}'],
    ['a musical note among formatting controls', '\u{1D173}\u{1D15F}\u{1D17A}'],
    ['the replacement character', '\ufffd'],
  ])('counts %s as text', (_name, text) => {
    expect(isBlankText(text)).toBe(false)
  })
})

describe('messagePreview', () => {
  it('names the files of a message holding only files, and keeps the text of one that has some', () => {
    expect(messagePreview('', [{ name: 'photo.png' }, { name: 'terms.pdf' }])).toBe('📎 photo.png, terms.pdf')
    expect(messagePreview(' \u200b', [{ name: 'photo.png' }])).toBe('📎 photo.png')
    expect(messagePreview('See attached', [{ name: 'photo.png' }])).toBe('See attached')
    expect(messagePreview('')).toBe('')
    expect(messagePreview('', [{ name: 'x'.repeat(200) }])).toHaveLength(140)
  })
})
