import { describe, expect, it } from 'vitest'
import { contrastRatio, textColorOn } from '../../../widget/src/ui/contrast.js'

describe('text colour on the brand colour', () => {
  it('computes WCAG contrast ratios', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5)
    expect(contrastRatio('#777777', '#777777')).toBe(1)
  })

  it.each(['#0f6e5a', '#1f5fbf', '#ffcc00', '#ffffff', '#000000', '#777777', '#ff0000', '#00ff00', '#7f7f7f', '#8e8e8e'])('picks a text colour with at least 4.5:1 on %s', (bg) => {
    expect(contrastRatio(bg, textColorOn(bg))).toBeGreaterThanOrEqual(4.5)
  })
})
