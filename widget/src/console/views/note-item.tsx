import { MessageText } from '../../ui/message-text.js'
import { TimeStamp } from '../../ui/time-stamp.js'
import type { NoteLine } from '../note-state.js'

// An internal note in a chat's timeline, and the switch between replying and writing a note: both
// look unlike a reply, so an agent never mistakes one for something the visitor sees.

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

/** Reply to the visitor, or write a note only agents see. */
export function ComposerMode({ note, onChange }: { note: boolean; onChange: (note: boolean) => void }) {
  return (
    <div class="composer-mode" role="radiogroup" aria-label="Write">
      <button type="button" role="radio" aria-checked={!note} onClick={() => onChange(false)}>Reply</button>
      <button type="button" role="radio" aria-checked={note} onClick={() => onChange(true)}>Note</button>
      {note ? <span class="note-label">Only agents see this</span> : null}
    </div>
  )
}
