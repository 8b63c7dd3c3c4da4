import { useEffect, useState } from 'preact/hooks'
import { handedOff, type ConsoleState } from '../state.js'

/** Props of the sidebar. */
export interface SidebarProps {
  state: ConsoleState
  view: 'chats' | 'transcripts'
  onAccept: (convId: string) => void
  onSelect: (convId: string) => void
  onView: (v: 'chats' | 'transcripts') => void
  /** Lists the next page of the queue (shown when fewer are listed than wait). */
  onMoreQueue: () => void
  /** Lists the queue again, newest first or oldest first. */
  onOrderQueue: (newest: boolean) => void
}

function ago(at: number): string {
  const s = Math.max(0, Math.round((Date.now() - at) / 1000))
  return s < 60 ? `${s} s` : `${Math.round(s / 60)} min`
}

/** Re-renders every `ms` while mounted, so "Waiting 2 min" keeps counting. */
function useTick(ms: number): void {
  const [, setTick] = useState(0)
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), ms)
    return () => clearInterval(timer)
  }, [ms])
}

/** The queue of waiting conversations and the agent's chats. */
export function Sidebar({ state, view, onAccept, onSelect, onView, onMoreQueue, onOrderQueue }: SidebarProps) {
  useTick(10_000)
  return (
    <nav class="side" aria-label="Conversations">
      <section aria-labelledby="queue-h">
        <h2 id="queue-h">Queue <span class="count">{state.queueTotal}</span></h2>
        {/* With hundreds waiting, the newest would otherwise be reached only after every older page. */}
        <button type="button" class="order" aria-pressed={state.queueNewest} onClick={() => onOrderQueue(!state.queueNewest)}>Newest first</button>
        {state.queue.length === 0 ? <p class="muted">Nobody is waiting.</p> : null}
        <ul class="queue">
          {state.queue.map((q) => (
            <li key={q.convId}>
              <p class="preview" dir="auto">{q.preview || '(no text)'}</p>
              <p class="muted">Waiting {ago(q.createdAt)}{q.context?.title ? <> · <bdi>{q.context.title}</bdi></> : null}</p>
              <button type="button" onClick={() => onAccept(q.convId)} aria-label={`Accept: ${q.preview.slice(0, 60)}`}>Accept</button>
            </li>
          ))}
        </ul>
        {state.queueNext ? (
          <button type="button" class="more" onClick={onMoreQueue}>
            Show more ({state.queueTotal - state.queue.length} more waiting)
          </button>
        ) : null}
      </section>
      <section aria-labelledby="mine-h">
        <h2 id="mine-h">My chats</h2>
        <ul class="chats">
          {state.order.map((id) => {
            const c = state.chats[id]!
            const last = c.lines.at(-1)
            return (
              <li key={id}>
                <button type="button" class={view === 'chats' && state.active === id ? 'chat current' : 'chat'} aria-current={view === 'chats' && state.active === id ? 'true' : undefined}
                  onClick={() => { onView('chats'); onSelect(id) }}>
                  <span class="who">Visitor {c.visitorId.slice(-6)}{c.closed ? ' (ended)' : handedOff(state, c) ? ' (transferred)' : ''}</span>
                  <span class="muted"><bdi>{last ? last.text.slice(0, 40) : '…'}</bdi></span>
                  {c.unread > 0 ? <span class="badge" aria-label={`${c.unread} unread`}>{c.unread}</span> : null}
                </button>
              </li>
            )
          })}
        </ul>
      </section>
      <button type="button" class={view === 'transcripts' ? 'link current' : 'link'} onClick={() => onView('transcripts')}>Transcripts</button>
    </nav>
  )
}
