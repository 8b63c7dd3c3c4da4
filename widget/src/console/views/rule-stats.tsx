import { useEffect, useState } from 'preact/hooks'
import type { RuleCounts, RuleStats as RuleStatsBody, RuleStatsEntry } from '@parley/sdk/contract'
import { rules as fetchRules, ruleStats } from '../api.js'
import { apiFailure } from '../api-failure.js'
import { METRICS, chartShape, rateOf } from '../rule-chart.js'

// The "Rules" view: what each deployment rule showed, clicked, was dismissed and started, per day
// and per rollout arm, from GET /v1/rules/stats. Anonymous counts only; nothing names a visitor.

const PERIODS = [7, 14, 30] as const
const W = 240
const H = 60
const LABEL: Record<keyof RuleCounts, string> = { impressions: 'Impressions', clicks: 'Clicks', dismissals: 'Dismissals', chats: 'Chats' }

/** One arm's small chart: a line per count over the days, with the totals as its text alternative. */
function ArmChart({ ruleId, arm }: { ruleId: string; arm: RuleStatsEntry['arms'][number] }) {
  const shape = chartShape(arm.days, W, H)
  const t = arm.totals
  const summary = `${ruleId}, ${arm.arm}: ${METRICS.map((m) => `${t[m]} ${LABEL[m].toLowerCase()}`).join(', ')} over ${arm.days.length} days`
  return (
    <figure class="arm">
      <figcaption>{arm.arm === 'control' ? 'Control group' : 'Shown'}</figcaption>
      <svg class="rule-chart" viewBox={`-2 -2 ${W + 4} ${H + 4}`} width={W} height={H} role="img" aria-label={summary}>
        <line class="axis" x1={0} y1={H} x2={W} y2={H} />
        {shape.lines.map((l) => <polyline key={l.metric} class={`m-${l.metric}`} points={l.points} />)}
      </svg>
      <table class="totals">
        <thead><tr>{METRICS.map((m) => <th key={m} scope="col"><span class={`key m-${m}`} aria-hidden="true" />{LABEL[m]}</th>)}</tr></thead>
        <tbody><tr>{METRICS.map((m) => <td key={m}>{t[m]}{m !== 'impressions' && rateOf(t[m], t.impressions) ? <span class="muted"> ({rateOf(t[m], t.impressions)})</span> : null}</td>)}</tr></tbody>
      </table>
      <p class="muted">Peak {shape.peak} a day; {arm.days[0]?.day ?? ''} to {arm.days.at(-1)?.day ?? ''} (UTC)</p>
    </figure>
  )
}

/** Every rule's counts, a small chart per rule and arm. */
export function RuleStats({ token, onAuthLost }: { token: string; onAuthLost: (code?: string) => void }) {
  const [days, setDays] = useState<number>(14)
  const [stats, setStats] = useState<RuleStatsBody | null>(null)
  const [names, setNames] = useState<Record<string, string>>({})
  const [error, setError] = useState<string | null>(null)
  const [round, setRound] = useState(0)
  useEffect(() => {
    let live = true
    setError(null)
    ruleStats(token, days).then((s) => { if (live) setStats(s) }, (err: unknown) => {
      if (live) apiFailure(onAuthLost, setError)(err)
    })
    // Names are a nicety: without them (say, a relay that keeps rules from agents) ids are shown.
    fetchRules(token).then((c) => { if (live) setNames(Object.fromEntries(c.rules.map((r) => [r.id, r.name ?? r.id]))) }, () => undefined)
    return () => { live = false }
  }, [token, days, round])
  return (
    <section class="rule-stats" aria-labelledby="rs-h">
      <h2 id="rs-h">Rules</h2>
      <form class="period" onSubmit={(e) => e.preventDefault()}>
        <label>Period
          <select value={String(days)} onChange={(e) => setDays(Number(e.currentTarget.value))}>
            {PERIODS.map((d) => <option key={d} value={String(d)}>Last {d} days</option>)}
          </select>
        </label>
        <button type="button" onClick={() => setRound((n) => n + 1)}>Refresh</button>
      </form>
      {error ? <p class="error" role="alert">{error}</p> : null}
      {!stats && !error ? <p class="muted">Loading the counts…</p> : null}
      {stats && stats.rules.length === 0 ? <p class="muted">No rule has shown anything yet.</p> : null}
      {stats ? (
        <ul class="rules">
          {stats.rules.map((r) => (
            <li key={r.ruleId} aria-labelledby={`rule-${r.ruleId}`}>
              <h3 id={`rule-${r.ruleId}`}>{names[r.ruleId] ?? r.ruleId}{names[r.ruleId] && names[r.ruleId] !== r.ruleId ? <span class="muted"> · {r.ruleId}</span> : null}</h3>
              <div class="arms">{r.arms.map((a) => <ArmChart key={a.arm} ruleId={r.ruleId} arm={a} />)}</div>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  )
}
