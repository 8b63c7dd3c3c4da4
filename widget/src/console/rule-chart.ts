import type { RuleCounts, RuleStatsEntry } from '@parley/sdk/contract'

// The geometry of the console's small per-rule charts: one line per count over the days of the
// period, for one rollout arm. Pure, so the view only draws what this returns.

/** The counts the chart draws, in legend order. */
export const METRICS: readonly (keyof RuleCounts)[] = ['impressions', 'clicks', 'dismissals', 'chats']

/** One line of a chart: its metric and an SVG `points` attribute. */
export interface ChartLine {
  metric: keyof RuleCounts
  points: string
}

/** What a chart draws: its lines, the top of the scale (at least 1), and the largest count (0 when none). */
export interface ChartShape {
  lines: ChartLine[]
  max: number
  peak: number
}

type Days = RuleStatsEntry['arms'][number]['days']

/**
 * The lines for `days` (oldest first) in a `width` × `height` box: x spreads the days evenly, y
 * runs from 0 at the bottom to the period's largest count at the top (at least 1, so a rule with
 * no counts draws flat lines along the bottom). A single day is drawn as a level line.
 */
export function chartShape(days: Days, width: number, height: number): ChartShape {
  const peak = Math.max(0, ...days.flatMap((d) => METRICS.map((m) => d.counts[m])))
  const max = Math.max(1, peak)
  const step = days.length > 1 ? width / (days.length - 1) : 0
  const y = (n: number) => round(height - (n / max) * height)
  const lines = METRICS.map((metric) => {
    const pts = days.map((d, i) => `${round(i * step)},${y(d.counts[metric])}`)
    if (days.length === 1) pts.push(`${width},${y(days[0]!.counts[metric])}`)
    return { metric, points: pts.join(' ') }
  })
  return { lines, max, peak }
}

/** A count's share of impressions as a percentage with one decimal, or null with no impressions. */
export function rateOf(n: number, impressions: number): string | null {
  return impressions > 0 ? `${(Math.round((n / impressions) * 1000) / 10).toFixed(1)} %` : null
}

function round(n: number): number {
  return Math.round(n * 10) / 10
}
