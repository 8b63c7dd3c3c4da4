import { useEffect, useState } from 'preact/hooks'
import { textPreview, type QueueEntry } from '@parley/sdk/contract'
import { handedOff, type ConsoleState } from '../state.js'
import { visitorLabel } from '../visitor-label.js'
import { formatWaiting } from '../waiting-time.js'
import { OfflineNote } from './offline-note.js'
import { RoutingBadges } from './routing-badges.js'
import { TeamList } from './team-list.js'
import type { Role } from '@parley/sdk/contract'
import { showsView, type ConsoleView } from '../role-views.js'


/** Props of the sidebar. */
export interface SidebarProps {
  state: ConsoleState
  view: ConsoleView
  /** My role: the pages it allows are linked, no others. */
  role: Role
  onAccept: (convId: string) => void
  onSelect: (convId: string) => void
  onView: (v: ConsoleView) => void
  /** Lists the next page of the queue (shown when fewer are listed than wait). */
  onMoreQueue: () => void
  /** Lists the queue again, newest first or oldest first. */
  onOrderQueue: (newest: boolean) => void
}

/** The pages besides the chats, in the sidebar's order, with their link text. */
const PAGES: [ConsoleView, string][] = [
  ['floor', 'Floor'], ['transcripts', 'Transcripts'], ['rules', 'Rules'], ['reports', 'Reports'], ['canned', 'Canned replies'], ['admin', 'Admin'],
]

/** Re-renders every `ms` while mounted, so "Waiting 2 minutes" keeps counting. */
function useTick(ms: number): void {
  const [, setTick] = useState(0)
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), ms)
    return () => clearInterval(timer)
  }, [ms])
}

/** The queue of waiting conversations and the agent's chats. */
export function Sidebar({ state, view, role, onAccept, onSelect, onView, onMoreQueue, onOrderQueue }: SidebarProps) {
  useTick(10_000)
  return (
    <nav class="side" aria-label="Conversations">
      <section aria-labelledby="mine-h">
        <h2 id="mine-h">My chats</h2>
        {/* The chats I hold come back from the relay after the queue listing: none shown yet is not none held. */}
        {!state.queueListed && state.order.length === 0 ? <p class="muted">Loading your chats…</p> : null}
        <ul class="chats">
          {state.order.map((id) => {
            const c = state.chats[id]!
            const last = c.lines.at(-1)
            return (
              <li key={id}>
                <button type="button" class={view === 'chats' && state.active === id ? 'chat current' : 'chat'} aria-current={view === 'chats' && state.active === id ? 'true' : undefined}
                  onClick={() => { onView('chats'); onSelect(id) }}>
                  <span class="who">{state.contacts[id] ? <><bdi>{state.contacts[id]!.name}</bdi> (offline message)</> : state.names[id] ? <bdi>{state.names[id]}</bdi> : visitorLabel(c.visitorId)}{c.closed ? ' (ended)' : handedOff(state, c) ? ' (transferred)' : ''}</span>
                  <span class="muted"><bdi>{last ? textPreview(last.text, 40) : '…'}</bdi></span>
                  {c.unread > 0 ? <span class="badge" aria-label={`${c.unread} unread`}>{c.unread}</span> : null}
                </button>
              </li>
            )
          })}
        </ul>
      </section>
      {/* Below my chats and scrolling on its own: with hundreds waiting, my chats stay in reach. */}
      <section aria-labelledby="queue-h" class="queue-section">
        {/* Until the relay lists the queue (say, reloaded while it is unreachable), its size is unknown, not zero. */}
        <h2 id="queue-h">Queue {state.queueListed ? <span class="count">{state.queueTotal}</span> : null}</h2>
        {/* With hundreds waiting, the newest would otherwise be reached only after every older page. */}
        <button type="button" class="order" aria-pressed={state.queueNewest} onClick={() => onOrderQueue(!state.queueNewest)}>Newest first</button>
        {/* Without it, the relay's order: highest priority first, then longest waiting. */}
        {!state.queueListed ? <p class="muted">Loading the queue…</p>
          : state.queue.length === 0 ? <p class="muted">Nobody is waiting.</p> : null}
        <ul class="queue">
          {state.queue.map((q) => (
            <li key={q.convId}>
              {state.contacts[q.convId] ? <OfflineNote contact={state.contacts[q.convId]!} />
                : state.names[q.convId] ? <p class="who"><bdi>{state.names[q.convId]}</bdi></p> : null}
              <RoutingBadges routing={q.routing} />
              <p class="preview" dir="auto">{previewOf(q)}</p>
              {/* English, like the sentence around it. */}
              <p class="muted">Waiting {formatWaiting(q.createdAt, Date.now(), 'en')}{q.context?.title ? <> · <bdi>{q.context.title}</bdi></> : null}</p>
              <button type="button" onClick={() => onAccept(q.convId)} aria-label={`Accept: ${previewOf(q).slice(0, 60)}`}>Accept</button>
            </li>
          ))}
        </ul>
        {state.queueNext ? (
          <button type="button" class="more" onClick={onMoreQueue}>
            Show more ({state.queueTotal - state.queue.length} more waiting)
          </button>
        ) : null}
      </section>
      <TeamList team={state.team} agentId={state.agentId} />
      {PAGES.filter(([v]) => showsView(role, v)).map(([v, title]) => (
        <button key={v} type="button" class={view === v ? 'link current' : 'link'} aria-current={view === v ? 'page' : undefined} onClick={() => onView(v)}>{title}</button>
      ))}
    </nav>
  )
}

/**
 * What a queue card says of a waiting chat: the start of its first message, or, for one the pre-chat
 * form opened before any message (conversation.open), its topic or that the form was answered.
 */
function previewOf(q: QueueEntry): string {
  if (q.preview) return q.preview
  return q.routing?.topic ? `Pre-chat form answered: ${q.routing.topic}` : 'Pre-chat form answered'
}
