import { describe, expect, it } from 'vitest'
import type { Report } from '@parley/sdk/contract'
import { BAR_FILL, xRange, yAxis } from '../../../widget/src/console/report-chart.js'
import { dayCharts, groupCharts } from '../../../widget/src/console/report-series.js'

// The Reports charts' y axes: a count (answers, chats) is ticked at whole numbers, whatever
// increment uPlot found for the space; a score or a rate keeps uPlot's own ticks.

const row = (label: string, chats: number) => ({
  label, chats, offline: 0, closed: chats, answered: 1, responseRate: 1,
  csat: { average: 5, count: 1, distribution: [0, 0, 0, 0, 1] },
  nps: { score: 100, promoters: 1, passives: 0, detractors: 0 },
  firstResponse: { medianSec: 30, averageSec: 30, count: 1 },
})
const REPORT = { from: '2026-03-01', to: '2026-03-01', groupBy: 'day', rows: [row('2026-03-01', 1)], total: row('total', 1) } as unknown as Report

/** The ticks the chart's y axis asks uPlot for, between `min` and `max`, given uPlot's increment. */
/** The axis yAxis builds (uPlot's Axis type, taken from it: uplot is the widget workspace's dependency). */
type Axis = ReturnType<typeof yAxis>

function ticks(axis: Axis, min: number, max: number, incr: number): number[] | undefined {
  const splits = axis.splits
  return typeof splits === 'function' ? splits({} as uPlot, 1, min, max, incr, 30) : undefined
}

describe('yAxis', () => {
  it('ticks the CSAT distribution, a count of one answer, at 0 and 1 only', () => {
    expect(ticks(yAxis(dayCharts(REPORT).distribution), 0, 1, 0.2)).toEqual([0, 1])
  })

  it('ticks chats per day at whole numbers a whole increment apart', () => {
    expect(ticks(yAxis(dayCharts(REPORT).volume), 0, 12, 2.5)).toEqual([0, 3, 6, 9, 12])
  })

  it('ticks chats per agent at whole numbers', () => {
    expect(ticks(yAxis(groupCharts(REPORT).chats), 0, 3, 0.5)).toEqual([0, 1, 2, 3])
  })

  it('leaves the ticks of a CSAT average to uPlot', () => {
    expect(yAxis(dayCharts(REPORT).csat).splits).toBeUndefined()
  })
})

// The x range: labels sit at 0…n−1, a column apart. Bars are padded by half a column and half a
// bar, so the first and last bars end further inside the plot than the gap between two bars.
describe('xRange', () => {
  it('pads 30 days of bars by 0.8 of a column either side', () => {
    expect(xRange('bars', 30)).toEqual([-0.8, 29.8])
  })

  it('keeps the last bar of 30 days further from the right edge than from its neighbour', () => {
    const [, max] = xRange('bars', 30)
    const lastBarEnd = 29 + BAR_FILL / 2
    expect(max - lastBarEnd).toBeGreaterThan(1 - BAR_FILL)
  })

  it('pads a line by half a column either side', () => {
    expect(xRange('line', 7)).toEqual([-0.5, 6.5])
  })

  it('gives a single bar a range around it', () => {
    expect(xRange('bars', 1)).toEqual([-0.8, 0.8])
  })
})
