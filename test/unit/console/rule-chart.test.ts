import { describe, expect, it } from 'vitest'
import { chartShape, rateOf } from '../../../widget/src/console/rule-chart.js'

// The geometry of the console's per-rule charts: plain (input, expected) cases.

const day = (d: string, impressions: number, clicks = 0, dismissals = 0, chats = 0) => ({ day: d, counts: { impressions, clicks, dismissals, chats } })

describe('rule chart shape', () => {
  it('spreads the days across the width and scales counts to the period peak', () => {
    const shape = chartShape([day('2026-12-01', 10, 5), day('2026-12-02', 0), day('2026-12-03', 4, 2, 1, 1)], 100, 50)
    expect(shape.max).toBe(10)
    expect(shape.peak).toBe(10)
    expect(shape.lines.map((l) => [l.metric, l.points])).toEqual([
      ['impressions', '0,0 50,50 100,30'],
      ['clicks', '0,25 50,50 100,40'],
      ['dismissals', '0,50 50,50 100,45'],
      ['chats', '0,50 50,50 100,45'],
    ])
  })

  it('draws flat lines on the bottom for a rule with no counts, never dividing by zero', () => {
    const shape = chartShape([day('2026-12-01', 0), day('2026-12-02', 0)], 100, 50)
    expect(shape.max).toBe(1)
    // The scale tops at 1, but the peak it reports is the real one: none.
    expect(shape.peak).toBe(0)
    for (const l of shape.lines) expect(l.points).toBe('0,50 100,50')
  })

  it('draws a single day as a level line across the chart', () => {
    const shape = chartShape([day('2026-12-01', 4, 1)], 100, 50)
    expect(shape.lines[0]!.points).toBe('0,0 100,0')
    expect(shape.lines[1]!.points).toBe('0,37.5 100,37.5')
  })

  it('draws nothing for a period with no days', () => {
    expect(chartShape([], 100, 50).lines.map((l) => l.points)).toEqual(['', '', '', ''])
  })
})

describe('rate of impressions', () => {
  it.each([
    [1, 3, '33.3 %'],
    [0, 5, '0.0 %'],
    [2, 0, null],
  ])('%i of %i impressions is %s', (n, impressions, expected) => {
    expect(rateOf(n, impressions)).toBe(expected)
  })
})
