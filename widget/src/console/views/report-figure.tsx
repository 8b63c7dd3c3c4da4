import { useEffect, useRef } from 'preact/hooks'
import { drawChart, type ChartKind } from '../report-chart.js'
import type { ChartData } from '../report-series.js'

/** The numbers behind a chart: column headings, then a row per label (its first cell heads the row). */
export interface FigureTable {
  head: string[]
  rows: string[][]
}

/** Props of ReportFigure. */
export interface ReportFigureProps {
  id: string
  title: string
  kind: ChartKind
  data: ChartData
  table: FigureTable
}

/**
 * One chart of the Reports view with its numbers as a real table below it, behind a "Show table"
 * disclosure like every other chart's (a native <details>, which keyboards and screen readers
 * open; a day per row for up to 90 days is too long to show unasked). The chart is hidden from
 * screen readers: the table says everything it shows, and more exactly.
 */
export function ReportFigure({ id, title, kind, data, table }: ReportFigureProps) {
  const el = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const box = el.current
    if (!box) return
    const fit = () => Math.max(240, Math.min(640, box.clientWidth || 480))
    const chart = drawChart(box, kind, data, fit())
    // Follows its box: drawn before a scroll bar or a narrower window, it would be cut at the right.
    const watch = new ResizeObserver(() => {
      const width = fit()
      if (width !== chart.width) chart.setSize({ width, height: chart.height })
    })
    watch.observe(box)
    return () => {
      watch.disconnect()
      chart.destroy()
    }
  }, [kind, data])
  return (
    <figure class="report-figure" aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>{title}</h3>
      <div class="report-chart" ref={el} aria-hidden="true" />
      {/* Named whole: a visually hidden ": title" beside the visible words read "Show table : title". */}
      <details class="report-numbers"><summary aria-label={`Show table: ${title}`}>Show table</summary><NumbersTable caption={`${title}: the numbers`} table={table} /></details>
    </figure>
  )
}

/** Numbers as a table captioned `caption`: a column heading each, a row heading each row. */
export function NumbersTable({ caption, table }: { caption: string; table: FigureTable }) {
  return (
    <table class="report-table">
      <caption>{caption}</caption>
      <thead><tr>{table.head.map((h) => <th key={h} scope="col">{h}</th>)}</tr></thead>
      <tbody>
        {table.rows.map((r) => (
          <tr key={r[0]}>{r.map((cell, i) => (i === 0 ? <th key={i} scope="row">{cell}</th> : <td key={i}>{cell}</td>))}</tr>
        ))}
      </tbody>
    </table>
  )
}
