// The switch between replying and writing a note. Real radio inputs, so the arrow keys move between
// the two and a screen reader names the group, as for any radio group.

/** Reply to the visitor, or write a note only agents see. */
export function ComposerMode({ note, onChange }: { note: boolean; onChange: (note: boolean) => void }) {
  return (
    <fieldset class="composer-mode">
      <legend class="sr-only">Write</legend>
      <label><input type="radio" name="composer-mode" checked={!note} onChange={() => onChange(false)} /> Reply</label>
      <label><input type="radio" name="composer-mode" checked={note} onChange={() => onChange(true)} /> Note</label>
      {note ? <span class="note-label">Only agents see this</span> : null}
    </fieldset>
  )
}
