import { useEffect, useState } from 'preact/hooks'
import type { SupervisorView } from '@parley/sdk/contract'
import { useNow } from '../../ui/use-now.js'
import { apiFailure } from '../api-failure.js'
import { STATUS_TEXT } from '../status-text.js'
import { formatWait, liveFloor } from '../floor-view.js'
import type { ConsoleState } from '../state.js'
import { RoutingBadges } from './routing-badges.js'

/** How often the Floor view asks the relay again while it is on screen. */
export const FLOOR_REFRESH_MS = 5000


/** Props of the Floor view. */
export interface FloorProps {
  state: ConsoleState
  /** Reads the supervisor view (GET /v1/supervisor). */
  read: () => Promise<SupervisorView>
  onAuthLost: (code?: string) => void
}

/**
 * The supervisor's floor: who is available, how many chats each holds of their capacity, their
 * skills, offers pending and missed today, and the queue with live waiting times. Read from the
 * relay every few seconds while on screen, and kept current in between by the frames the console hears.
 */
export function Floor({ state, read, onAuthLost }: FloorProps) {
  const [view, setView] = useState<SupervisorView | null>(null)
  const [error, setError] = useState<string | null>(null)
  const now = useNow(1000)
  useEffect(() => {
    let live = true
    const load = () => {
      if (document.visibilityState !== 'visible') return
      read().then((v) => { if (live) { setView(v); setError(null) } }, apiFailure(onAuthLost, (m) => { if (live) setError(m) }))
    }
    load()
    const timer = setInterval(load, FLOOR_REFRESH_MS)
    document.addEventListener('visibilitychange', load)
    return () => { live = false; clearInterval(timer); document.removeEventListener('visibilitychange', load) }
  }, [read])
  if (!view) return <section class="floor"><h2>Floor</h2>{error ? <p class="error" role="alert">{error}</p> : <p class="muted" role="status">Loading the floor…</p>}</section>
  const f = liveFloor(view, state.team, { entries: state.queue, complete: state.queueNext === null, listed: state.queueListed }, now)
  return (
    <section class="floor" aria-labelledby="floor-h">
      <h2 id="floor-h">Floor</h2>
      {error ? <p class="error" role="alert">{error}</p> : null}
      <dl class="floor-figures">
        <div><dt>Routing</dt><dd>{view.mode === 'automatic' ? 'Automatic' : 'Manual'}</dd></div>
        <div><dt>Available agents</dt><dd data-figure="available">{f.availableAgents}</dd></div>
        <div><dt>Waiting</dt><dd data-figure="waiting">{f.queueLength}</dd></div>
        <div><dt>Offers pending</dt><dd data-figure="offers">{f.offersPending}</dd></div>
        <div><dt>Missed offers today</dt><dd data-figure="missed">{f.missedToday}</dd></div>
      </dl>
      <table class="floor-agents">
        <caption>Agents</caption>
        <thead><tr><th scope="col">Agent</th><th scope="col">Status</th><th scope="col">Chats</th><th scope="col">Skills</th><th scope="col">Offers pending</th><th scope="col">Missed today</th></tr></thead>
        <tbody>
          {f.agents.map((a) => (
            <tr key={a.agentId} data-agent={a.agentId}>
              <th scope="row"><bdi>{a.name}</bdi></th>
              <td><span class={`presence ${a.status}`}>{STATUS_TEXT[a.status]}</span></td>
              <td>{a.activeChats} of {a.capacity}</td>
              <td>{a.skills.join(', ') || '—'}</td>
              <td>{a.offersPending}</td>
              <td>{a.missedToday}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Queue</h3>
      {f.queue.length === 0 ? <p class="muted">Nobody is waiting.</p> : (
        <ol class="floor-queue">
          {f.queue.map((q) => (
            <li key={q.convId} data-conv={q.convId}>
              <RoutingBadges routing={q.routing} />
              <span class="wait">Waiting {formatWait(q.waitingSec)}</span>
              {q.offeredTo ? <span class="muted"> · offered to <bdi>{f.agents.find((a) => a.agentId === q.offeredTo)?.name ?? 'an agent'}</bdi></span> : null}
            </li>
          ))}
        </ol>
      )}
      <p class="muted">As of {new Date(view.at).toLocaleTimeString()}; refreshed every {FLOOR_REFRESH_MS / 1000} s.</p>
    </section>
  )
}
