import type { Report, ReportQuery } from '@parley/sdk/contract'
import { reportPeriod } from '../reports/report-period.js'
import { ReportTally } from '../reports/report-tally.js'
import { ReportGroups } from './report-groups.js'

// The frame of readReport for both stores: the period checked, then read a slice at a time (a year
// of a busy brand is not read into memory, or held in one read, at once), each slice's conversations
// counted into their rows and the total. The store supplies only the reading of a slice.

/** How much of the period one slice covers. */
const SLICE_MS = 7 * 86_400_000

/** Counts the conversations created in [fromMs, toMs) into their group's tally (`groups.tallyOf`) and `total`. */
export type CountSlice = (fromMs: number, toMs: number, groups: ReportGroups, total: ReportTally) => Promise<void>

/** The report `query` asks for, its slices counted by `countSlice` in order; a RangeError for a period reportPeriod refuses. */
export async function readReportInSlices(query: ReportQuery, countSlice: CountSlice): Promise<Report> {
  const period = reportPeriod(query)
  if ('problem' in period) throw new RangeError(period.problem)
  const groupBy = query.groupBy ?? 'day'
  const groups = new ReportGroups(groupBy, period.days)
  const total = new ReportTally()
  for (let from = period.startMs; from < period.endMs; from += SLICE_MS) {
    await countSlice(from, Math.min(from + SLICE_MS, period.endMs), groups, total)
  }
  return { from: query.from, to: query.to, groupBy, rows: groups.rows(), total: total.toRow(null, 'Total') }
}
