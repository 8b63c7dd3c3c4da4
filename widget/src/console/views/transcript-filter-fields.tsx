import type { Colleague } from '@parley/sdk/contract'
import type { TranscriptFilters } from '../transcript-query.js'

const RATINGS = ['1', '2', '3', '4', '5']

/** The filters beside the search box: agent, topic, opening dates and post-chat CSAT range. */
export function TranscriptFilterFields({ filters, agents, onChange }: { filters: TranscriptFilters; agents: readonly Colleague[]; onChange: (f: TranscriptFilters) => void }) {
  const set = (key: keyof TranscriptFilters) => (e: { currentTarget: { value: string } }) => onChange({ ...filters, [key]: e.currentTarget.value })
  return (
    <fieldset class="filters">
      <legend>TranscriptFilters</legend>
      <label>Agent
        <select value={filters.agentId} onChange={set('agentId')}>
          <option value="">Any agent</option>
          {agents.map((a) => <option key={a.agentId} value={a.agentId}>{a.name}</option>)}
        </select>
      </label>
      <label>Topic<input value={filters.topic} onInput={set('topic')} size={12} /></label>
      <label>Opened from<input type="date" value={filters.from} onInput={set('from')} /></label>
      <label>to<input type="date" value={filters.to} onInput={set('to')} /></label>
      <label>CSAT from
        <select value={filters.csatMin} onChange={set('csatMin')}>
          <option value="">any</option>
          {RATINGS.map((r) => <option key={r} value={r}>{r}</option>)}
        </select>
      </label>
      <label>to
        <select value={filters.csatMax} onChange={set('csatMax')}>
          <option value="">any</option>
          {RATINGS.map((r) => <option key={r} value={r}>{r}</option>)}
        </select>
      </label>
    </fieldset>
  )
}
