import { useEffect, useMemo, useState } from 'preact/hooks'
import type { Report, ReportGrouping, ReportRow } from '@parley/sdk/contract'
import { report as fetchReport } from '../api.js'
import { apiFailure } from '../api-failure.js'
import { REPORT_PERIODS, dayCharts, figure, groupCharts, lastDays, percent, seconds } from '../report-series.js'
import { NumbersTable, ReportFigure } from './report-figure.js'

// The "Reports" view: chats and post-chat scores from GET /v1/reports, for the last 7, 30 or 90
// days, per day (a chart per figure) or per agent or topic (bar charts and a table of every
// figure). Every chart has its numbers in a table. Aggregates only: nothing here names a visitor.

const GROUPINGS: { value: ReportGrouping; label: string }[] = [
  { value: 'day', label: 'Day' }, { value: 'agent', label: 'Agent' }, { value: 'topic', label: 'Topic' },
]

/** The per-day charts, each with its table. */
function ByDay({ report }: { report: Report }) {
  const charts = useMemo(() => dayCharts(report), [report])
  const rows = report.rows
  const t = report.total
  return (
    <>
      <ReportFigure id="rep-csat" title="CSAT average per day" kind="line" data={charts.csat} table={{
        head: ['Day', 'CSAT average', 'Answers', '1', '2', '3', '4', '5'],
        rows: rows.map((r) => [r.label, figure(r.csat.average), String(r.csat.count), ...r.csat.distribution.map(String)]),
      }} />
      <ReportFigure id="rep-dist" title="CSAT distribution" kind="bars" data={charts.distribution} table={{
        head: ['Score', 'Answers'],
        rows: t.csat.distribution.map((n, i) => [String(i + 1), String(n)]),
      }} />
      <ReportFigure id="rep-nps" title="NPS per day" kind="line" data={charts.nps} table={{
        head: ['Day', 'NPS', 'Promoters', 'Passives', 'Detractors'],
        rows: rows.map((r) => [r.label, figure(r.nps.score, 1), String(r.nps.promoters), String(r.nps.passives), String(r.nps.detractors)]),
      }} />
      <ReportFigure id="rep-rate" title="Response rate per day" kind="line" data={charts.rate} table={{
        head: ['Day', 'Response rate', 'Answered', 'Closed chats'],
        rows: rows.map((r) => [r.label, percent(r.responseRate), String(r.answered), String(r.closed)]),
      }} />
      <ReportFigure id="rep-volume" title="Chats per day" kind="bars" data={charts.volume} table={{
        head: ['Day', 'Chats', 'Offline messages'],
        rows: rows.map((r) => [r.label, String(r.chats), String(r.offline)]),
      }} />
      <ReportFigure id="rep-first" title="Median first response per day" kind="line" data={charts.firstResponse} table={{
        head: ['Day', 'Median first response', 'Average first response', 'Chats answered'],
        rows: rows.map((r) => [r.label, seconds(r.firstResponse.medianSec), seconds(r.firstResponse.averageSec), String(r.firstResponse.count)]),
      }} />
    </>
  )
}

/**
 * The figures of each agent or topic: two bar charts, then every figure of each group in one table,
 * its own section named in the headings ("All figures by topic"), folded like the charts' tables.
 */
function ByGroup({ report, noun }: { report: Report; noun: string }) {
  const charts = useMemo(() => groupCharts(report), [report])
  const all = {
    head: [noun, 'Chats', 'Offline messages', 'Response rate', 'CSAT average', 'CSAT answers', 'NPS', 'Promoters', 'Passives', 'Detractors', 'Median first response'],
    rows: report.rows.map((r: ReportRow) => [
      r.label, String(r.chats), String(r.offline), percent(r.responseRate), figure(r.csat.average), String(r.csat.count),
      figure(r.nps.score, 1), String(r.nps.promoters), String(r.nps.passives), String(r.nps.detractors), seconds(r.firstResponse.medianSec),
    ]),
  }
  const lower = noun.toLowerCase()
  const allTitle = `All figures by ${lower}`
  return (
    <>
      <ReportFigure id="rep-g-chats" title={`Chats per ${lower}`} kind="bars" data={charts.chats} table={{
        head: [noun, 'Chats', 'Offline messages'],
        rows: report.rows.map((r) => [r.label, String(r.chats), String(r.offline)]),
      }} />
      <ReportFigure id="rep-g-csat" title={`CSAT average per ${lower}`} kind="bars" data={charts.csat} table={{
        head: [noun, 'CSAT average', 'Answers'],
        rows: report.rows.map((r) => [r.label, figure(r.csat.average), String(r.csat.count)]),
      }} />
      <section class="report-figure report-all" aria-labelledby="rep-g-all-h">
        <h3 id="rep-g-all-h">{allTitle}</h3>
        <p class="muted">Chats, response rate, CSAT, NPS and first response of each {lower}.</p>
        <details class="report-numbers"><summary aria-label={`Show table: ${allTitle}`}>Show table</summary><NumbersTable caption={allTitle} table={all} /></details>
      </section>
    </>
  )
}

/** The period's totals, as a one-row table. */
function Totals({ total }: { total: ReportRow }) {
  return (
    <table class="report-table report-totals">
      <caption>Totals for the period</caption>
      <thead><tr>{['Chats', 'Offline messages', 'Response rate', 'CSAT average', 'NPS', 'Median first response'].map((h) => <th key={h} scope="col">{h}</th>)}</tr></thead>
      <tbody><tr>
        <td>{total.chats}</td><td>{total.offline}</td><td>{percent(total.responseRate)}</td>
        <td>{figure(total.csat.average)}</td><td>{figure(total.nps.score, 1)}</td><td>{seconds(total.firstResponse.medianSec)}</td>
      </tr></tbody>
    </table>
  )
}

/** Reports: pickers for the period and the grouping, then the totals and the charts with their tables. */
export function Reports({ token, onAuthLost }: { token: string; onAuthLost: (code?: string) => void }) {
  const [days, setDays] = useState<number>(30)
  const [groupBy, setGroupBy] = useState<ReportGrouping>('day')
  const [report, setReport] = useState<Report | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [round, setRound] = useState(0)
  useEffect(() => {
    let live = true
    setError(null)
    setReport(null)
    fetchReport(token, { ...lastDays(days, Date.now()), groupBy }).then((r) => { if (live) setReport(r) }, (err: unknown) => {
      if (live) apiFailure(onAuthLost, setError)(err)
    })
    return () => { live = false }
  }, [token, days, groupBy, round])
  return (
    <section class="reports" aria-labelledby="rep-h">
      <h2 id="rep-h">Reports</h2>
      <form class="period" onSubmit={(e) => e.preventDefault()}>
        <label>Period
          <select value={String(days)} onChange={(e) => setDays(Number(e.currentTarget.value))}>
            {REPORT_PERIODS.map((d) => <option key={d} value={String(d)}>Last {d} days</option>)}
          </select>
        </label>
        <label>Group by
          <select value={groupBy} onChange={(e) => setGroupBy(e.currentTarget.value as ReportGrouping)}>
            {GROUPINGS.map((g) => <option key={g.value} value={g.value}>{g.label}</option>)}
          </select>
        </label>
        <button type="button" onClick={() => setRound((n) => n + 1)}>Refresh</button>
      </form>
      {error ? <p class="error" role="alert">{error}</p> : null}
      {!report && !error ? <p class="muted" role="status">Loading the report…</p> : null}
      {report ? (
        <>
          <p class="muted">{report.from} to {report.to} (UTC), chats by the day they opened.</p>
          <Totals total={report.total} />
          {report.groupBy === 'day' ? <ByDay report={report} /> : <ByGroup report={report} noun={report.groupBy === 'agent' ? 'Agent' : 'Topic'} />}
        </>
      ) : null}
    </section>
  )
}
