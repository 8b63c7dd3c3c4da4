import uPlot from 'uplot'
import type { ChartData } from './report-series.js'

// The Reports view's charts, drawn by uPlot. Only the console loads this file (on opening Reports);
// the consumer widget never imports it. x is the position of a label (a day, a score, an agent),
// so days are drawn as the UTC days they are, whatever the agent's time zone.

/** Drawn as a line over the labels, or as a bar per label. */
export type ChartKind = 'line' | 'bars'

const COLOR = '#2456a6'
const HEIGHT = 180

/** At most about 10 labels on the x axis: every n-th one of a long period. */
function xSplits(count: number): number[] {
  const step = Math.max(1, Math.ceil(count / 10))
  const splits: number[] = []
  for (let i = 0; i < count; i += step) splits.push(i)
  return splits
}

/** Draws `data` into `el`, `width` pixels wide; the caller destroys the returned chart when done. */
export function drawChart(el: HTMLElement, kind: ChartKind, data: ChartData, width: number): uPlot {
  const n = data.labels.length
  const xs = data.labels.map((_, i) => i)
  const bars = uPlot.paths.bars!({ size: [0.6, 48] })
  const opts: uPlot.Options = {
    width, height: HEIGHT,
    legend: { show: false },
    cursor: { show: false },
    scales: {
      x: { time: false, range: [-0.5, Math.max(0.5, n - 0.5)] },
      y: data.range ? { range: data.range } : { range: (_u, min, max) => [Math.min(0, min ?? 0), Math.max(1, max ?? 1)] },
    },
    axes: [
      { splits: () => xSplits(n), values: (_u, splits) => splits.map((i) => data.labels[i] ?? '') },
      {},
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
