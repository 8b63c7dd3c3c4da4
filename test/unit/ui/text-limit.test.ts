import { describe, expect, it } from 'vitest'
import { textLimitHint } from '../../../widget/src/ui/text-limit.js'

describe('text limit hint', () => {
  it('says nothing while the text is well under the limit, or before the limit is known', () => {
    expect(textLimitHint(100, 4000)).toEqual({ kind: 'none' })
    expect(textLimitHint(3599, 4000)).toEqual({ kind: 'none' })
    expect(textLimitHint(5000, null)).toEqual({ kind: 'none' })
  })

  it('counts the characters left from 90% of the limit', () => {
    expect(textLimitHint(3600, 4000)).toEqual({ kind: 'left', n: 400 })
    expect(textLimitHint(4000, 4000)).toEqual({ kind: 'left', n: 0 })
  })

  it('counts the characters too many over the limit (a 4,100-character paste under 4,000)', () => {
    expect(textLimitHint(4100, 4000)).toEqual({ kind: 'over', n: 100 })
  })

  it('follows whatever limit the relay announced', () => {
    expect(textLimitHint(95, 100)).toEqual({ kind: 'left', n: 5 })
    expect(textLimitHint(101, 100)).toEqual({ kind: 'over', n: 1 })
  })
})
