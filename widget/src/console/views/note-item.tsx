import { MessageText } from '../../ui/message-text.js'
import { TimeStamp } from '../../ui/time-stamp.js'
import type { NoteLine } from '../note-state.js'

// An internal note in a chat's timeline: it looks unlike a reply, so an agent never mistakes it for
// something the visitor sees.

/** One note in the timeline: marked internal, with its author and time; mine not stored offers a retry. */
export function NoteItem({ note, now, locale, onRetry }: { note: NoteLine; now: number; locale: string; onRetry: (note: NoteLine) => void }) {
  return (
    <li class="internal-note">
      <span class="author"><strong>{note.transfer ? 'Transfer note' : 'Internal note'}</strong> · {note.author} · <TimeStamp at={note.at} now={now} locale={locale} /></span>
      <div class="bubble" dir="auto"><MessageText text={note.text} /></div>
      {note.status === 'sending' ? <span class="muted">Saving…</span> : null}
      {note.status === 'failed' ? <span class="error">Not saved <button type="button" onClick={() => onRetry(note)}>Retry</button></span> : null}
    </li>
  )
}
