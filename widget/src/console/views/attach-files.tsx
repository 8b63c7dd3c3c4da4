import { createRef } from 'preact'
import { ATTACHMENT_TYPES } from '@parley/sdk/contract'

// The reply box's attach button: a hidden file input the button opens. What the brand takes is the
// relay's to check (agents may send any of its types); a refused file shows as an error.

/** "Attach", which hands the chosen files to `onFiles`. */
export function AttachFiles({ onFiles, disabled }: { onFiles: (files: File[]) => void; disabled?: boolean }) {
  const input = createRef<HTMLInputElement>()
  return (
    <>
      <input ref={input} type="file" hidden multiple accept={ATTACHMENT_TYPES.join(',')} aria-label="Files to attach"
        onChange={(e) => { onFiles([...(e.currentTarget.files ?? [])]); e.currentTarget.value = '' }} />
      <button type="button" class="attach" disabled={disabled} onClick={() => input.current?.click()}>Attach</button>
    </>
  )
}
