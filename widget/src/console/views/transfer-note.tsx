import type { Note } from '@parley/sdk/contract'

/** The note a colleague left when handing this chat to me (agents only; the visitor never sees it). */
export function TransferNote({ note }: { note: Note | undefined }) {
  if (!note) return null
  return (
    <p class="transfer-note" role="note">
      <strong>Note from <bdi>{note.author.name ?? 'a colleague'}</bdi> on handing over:</strong> <bdi dir="auto">{note.text}</bdi>
    </p>
  )
}
