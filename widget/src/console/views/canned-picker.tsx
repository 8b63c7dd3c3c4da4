import type { CannedReply } from '@parley/sdk/contract'

/** Props of the composer's list of matching canned replies. */
export interface CannedPickerProps {
  id: string
  matches: readonly CannedReply[]
  /** Index of the highlighted reply (↑/↓ move it; Enter or Tab inserts it). */
  active: number
  onPick: (reply: CannedReply) => void
  onHover: (index: number) => void
}

/**
 * The small list over the composer while the agent types `/ref`: each match's shortcut, title and
 * scope. Focus stays in the composer (a click does not take it); the composer's status line reads
 * the highlighted reply out, since a textarea cannot own a listbox's active option.
 */
export function CannedPicker({ id, matches, active, onPick, onHover }: CannedPickerProps) {
  return (
    <ul id={id} class="canned-picker" role="listbox" aria-label="Canned replies">
      {matches.map((r, i) => (
        <li key={r.replyId} id={`${id}-${i}`} role="option" aria-selected={i === active} class={i === active ? 'active' : undefined}
          onMouseDown={(e) => e.preventDefault()} onMouseEnter={() => onHover(i)} onClick={() => onPick(r)}>
          <span class="sc">/{r.shortcut}</span> <span class="tt">{r.title}</span>
          {r.scope === 'personal' ? <span class="tag personal">Personal</span> : null}
        </li>
      ))}
    </ul>
  )
}
