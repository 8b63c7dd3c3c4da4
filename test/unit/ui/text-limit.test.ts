import { describe, expect, it } from 'vitest'
import { textLimitHint } from '../../../widget/src/ui/text-limit.js'

const letters = (n: number) => 'x'.repeat(n)

describe('text limit hint', () => {
  it('says nothing while the text is well under the limit, or before the limit is known', () => {
    expect(textLimitHint(letters(100), 4000)).toEqual({ kind: 'none' })
    expect(textLimitHint(letters(3599), 4000)).toEqual({ kind: 'none' })
    expect(textLimitHint(letters(5000), null)).toEqual({ kind: 'none' })
  })

  it('counts the characters left from 90% of the limit', () => {
    expect(textLimitHint(letters(3600), 4000)).toEqual({ kind: 'left', n: 400 })
    expect(textLimitHint(letters(4000), 4000)).toEqual({ kind: 'left', n: 0 })
  })

  it('counts the characters too many over the limit (a 4,100-character paste under 4,000)', () => {
    expect(textLimitHint(letters(4100), 4000)).toEqual({ kind: 'over', n: 100 })
  })

  it('follows whatever limit the relay announced', () => {
    expect(textLimitHint(letters(95), 100)).toEqual({ kind: 'left', n: 5 })
    expect(textLimitHint(letters(101), 100)).toEqual({ kind: 'over', n: 1 })
  })

  it('measures emoji as the relay does but counts the ones too many as characters (2,001 emoji under 4,000)', () => {
    expect(textLimitHint('😀'.repeat(2001), 4000)).toEqual({ kind: 'over', n: 1 })
    expect(textLimitHint('😀'.repeat(2000), 4000)).toEqual({ kind: 'left', n: 0 })
  })

  it('counts an emoji built of several code points as one character too many', () => {
    // The family emoji is 11 UTF-16 units (four people joined by zero-width joiners).
    expect(textLimitHint(`${letters(95)}👨‍👩‍👧‍👦`, 100)).toEqual({ kind: 'over', n: 1 })
  })
})
