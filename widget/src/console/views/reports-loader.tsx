import { useEffect, useState } from 'preact/hooks'
import type { Reports as ReportsView } from './reports.js'

// Reports draw with uPlot, which no other view needs: the view and its charts are a chunk of their
// own, fetched the first time an agent opens Reports, so the console starts without them.

type ReportsProps = Parameters<typeof ReportsView>[0]

/** The Reports view, loaded on first use. */
export function ReportsLoader(props: ReportsProps) {
  const [View, setView] = useState<typeof ReportsView | null>(null)
  const [failed, setFailed] = useState(false)
  useEffect(() => {
    let live = true
    import('./reports.js').then((m) => { if (live) setView(() => m.Reports) }, () => { if (live) setFailed(true) })
    return () => { live = false }
  }, [])
  if (failed) return <p class="error" role="alert">The reports could not be loaded. Reload the page to try again.</p>
  return View ? <View {...props} /> : <p class="muted" role="status">Loading the reports…</p>
}
