import { describe, expect, it } from 'vitest'
import { figure, lastDays, percent, seconds } from '../../../widget/src/console/report-series.js'

// The Reports view's period picker and how it writes figures in its tables.

describe('lastDays', () => {
  it.each([
    [7, '2026-03-04', '2026-03-10'],
    [30, '2026-02-09', '2026-03-10'],
    [1, '2026-03-10', '2026-03-10'],
  ])('makes the last %i UTC days, today included', (days, from, to) => {
    expect(lastDays(days, Date.parse('2026-03-10T23:59:59Z'))).toEqual({ from, to })
  })
})

describe('figures in the tables', () => {
  it.each([
    [figure(3.6667), '3.67'], [figure(4), '4'], [figure(-66.66, 1), '-66.7'], [figure(null), '–'],
    [percent(0.8), '80 %'], [percent(0.6667), '66.7 %'], [percent(null), '–'],
    [seconds(61.25), '61.3 s'], [seconds(null), '–'],
  ])('writes %s as expected', (written, expected) => {
    expect(written).toBe(expected)
  })
})
