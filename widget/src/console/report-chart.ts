import uPlot from 'uplot'
import type { ChartData } from './report-series.js'

// The Reports view's charts, drawn by uPlot. Only the console loads this file (on opening Reports);
// the consumer widget never imports it. x is the position of a label (a day, a score, an agent),
// so days are drawn as the UTC days they are, whatever the agent's time zone.

/** Drawn as a line over the labels, or as a bar per label. */
export type ChartKind = 'line' | 'bars'

const COLOR = '#2456a6'
const HEIGHT = 180

/** The share of its label's column a bar fills (uPlot's bars `size[0]`); the rest is the gap between bars. */
export const BAR_FILL = 0.6

/**
 * The x scale's range for `count` labels drawn at 0…count−1, in columns. A line keeps half a column
 * either side. Bars get half a bar more, so the first and last bars stand whole, further from the
 * plot's edges than from their neighbours: with only half a column, today's bar of a long period
 * touched the right edge and read as cut off.
 */
export function xRange(kind: ChartKind, count: number): [number, number] {
  const pad = kind === 'bars' ? 0.5 + BAR_FILL / 2 : 0.5
  return [-pad, Math.max(0, count - 1) + pad]
}

/** At most about 10 labels on the x axis: every n-th one of a long period. */
function xSplits(count: number): number[] {
  const step = Math.max(1, Math.ceil(count / 10))
  const splits: number[] = []
  for (let i = 0; i < count; i += step) splits.push(i)
  return splits
}

/**
 * The y axis of `data`'s chart. A count (answers, chats) is ticked at whole numbers only: uPlot's
 * own ticks for a count of 1 would read 0, 0.5, 1, and half an answer means nothing.
 */
export function yAxis(data: ChartData): uPlot.Axis {
  if (!data.counts) return {}
  return {
    // uPlot's increment suits the space; rounded up to a whole number, ticks stay that far apart.
    splits: (_u, _axis, min, max, incr) => {
      const step = Math.max(1, Math.ceil(incr))
      const splits: number[] = []
      for (let v = Math.ceil(min / step) * step; v <= max; v += step) splits.push(v)
      return splits
    },
  }
}

/** Draws `data` into `el`, `width` pixels wide; the caller destroys the returned chart when done. */
export function drawChart(el: HTMLElement, kind: ChartKind, data: ChartData, width: number): uPlot {
  const n = data.labels.length
  const xs = data.labels.map((_, i) => i)
  const bars = uPlot.paths.bars!({ size: [BAR_FILL, 48] })
  const opts: uPlot.Options = {
    width, height: HEIGHT,
    legend: { show: false },
    cursor: { show: false },
    scales: {
      x: { time: false, range: xRange(kind, n) },
      y: data.range ? { range: data.range } : { range: (_u, min, max) => [Math.min(0, min ?? 0), Math.max(1, max ?? 1)] },
    },
    axes: [
      { splits: () => xSplits(n), values: (_u, splits) => splits.map((i) => data.labels[i] ?? '') },
      yAxis(data),
    ],
    series: [
      {},
      ...data.series.map((s) => ({
        label: s.label, stroke: COLOR, width: 2, spanGaps: true,
        ...(kind === 'bars' ? { paths: bars, fill: COLOR, points: { show: false } } : { points: { show: n <= 31 } }),
      })),
    ],
  }
  return new uPlot(opts, [xs, ...data.series.map((s) => s.values)] as uPlot.AlignedData, el)
}
