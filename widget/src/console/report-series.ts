import type { Report, ReportRow } from '@parley/sdk/contract'

// What the Reports view draws and tabulates, from a Report: the period a picker names, each
// figure as text, and the columns of each chart. Pure, so the view only lays these out.

const MS_PER_DAY = 86_400_000

/** The periods the view offers, in days ending today (UTC). */
export const REPORT_PERIODS = [7, 30, 90] as const

/** `{ from, to }` for the last `days` UTC days, today included. */
export function lastDays(days: number, now: number): { from: string; to: string } {
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10)
  return { from: day(now - (days - 1) * MS_PER_DAY), to: day(now) }
}

/** Shown for a figure with nothing to average. */
export const NO_FIGURE = '–'

/** A number as the tables show it: at most `places` decimals, no trailing zeros; null as NO_FIGURE. */
export function figure(n: number | null, places = 2): string {
  return n === null ? NO_FIGURE : String(Math.round(n * 10 ** places) / 10 ** places)
}

/** A 0–1 rate as a percentage with at most one decimal (`80 %`). */
export function percent(rate: number | null): string {
  return rate === null ? NO_FIGURE : `${figure(rate * 100, 1)} %`
}

/** Seconds as the tables show them (`62 s`). */
export function seconds(s: number | null): string {
  return s === null ? NO_FIGURE : `${figure(s, 1)} s`
}

/** One chart: a label per x position, a series of values per line or bar set. */
export interface ChartData {
  labels: string[]
  series: { label: string; values: (number | null)[] }[]
  /** The y axis's fixed range (CSAT 1–5, NPS −100–100, a rate 0–100); left out: from the data. */
  range?: [number, number]
  /** The y axis counts something (answers, chats): whole-number ticks only. */
  counts?: true
}

/** The values of one figure over the rows. */
export function column(rows: readonly ReportRow[], pick: (r: ReportRow) => number | null): (number | null)[] {
  return rows.map(pick)
}

/** A day's label on a chart's axis: `03-01` (the year is in the period picker). */
export function shortDay(day: string): string {
  return day.slice(5)
}

/** The per-day charts of a report grouped by day. */
export function dayCharts(report: Report): Record<'csat' | 'distribution' | 'nps' | 'rate' | 'volume' | 'firstResponse', ChartData> {
  const rows = report.rows
  const labels = rows.map((r) => shortDay(r.label))
  return {
    csat: { labels, series: [{ label: 'CSAT average', values: column(rows, (r) => r.csat.average) }], range: [1, 5] },
    distribution: { labels: ['1', '2', '3', '4', '5'], series: [{ label: 'Answers', values: [...report.total.csat.distribution] }], counts: true },
    nps: { labels, series: [{ label: 'NPS', values: column(rows, (r) => r.nps.score) }], range: [-100, 100] },
    rate: { labels, series: [{ label: 'Response rate (%)', values: column(rows, (r) => (r.responseRate === null ? null : r.responseRate * 100)) }], range: [0, 100] },
    volume: { labels, series: [{ label: 'Chats', values: column(rows, (r) => r.chats) }], counts: true },
    firstResponse: { labels, series: [{ label: 'Median first response (s)', values: column(rows, (r) => r.firstResponse.medianSec) }] },
  }
}

/** The bar charts of a report grouped by agent or topic: chats, and CSAT average, per group. */
export function groupCharts(report: Report): { chats: ChartData; csat: ChartData } {
  const labels = report.rows.map((r) => r.label)
  return {
    chats: { labels, series: [{ label: 'Chats', values: column(report.rows, (r) => r.chats) }], counts: true },
    csat: { labels, series: [{ label: 'CSAT average', values: column(report.rows, (r) => r.csat.average) }], range: [0, 5] },
  }
}
