import type { OutboxFile } from '@parley/sdk/connection'
import type { AttachmentRef } from '@parley/sdk/contract'

// A message's files as the widget and the console show them: from what the relay stored, or, while
// the message waits in the outbox, from what is queued (no id yet: shown as sending).

/** A file as a message shows it; `id` is null while it waits in the outbox. */
export interface ShownFile {
  id: string | null
  name: string
  type: string
  size: number
  thumbnail: boolean
}

/** The files a stored message carries, or undefined when it carries none. */
export function storedFiles(refs: readonly AttachmentRef[] | undefined): ShownFile[] | undefined {
  return refs?.length ? refs.map((a) => ({ id: a.attachmentId, name: a.name, type: a.type, size: a.size, thumbnail: a.thumbnail })) : undefined
}

/** The files of an outbox entry, or undefined when it has none. */
export function waitingFiles(files: readonly OutboxFile[] | undefined): ShownFile[] | undefined {
  return files?.length ? files.map((f) => ({ id: null, name: f.name, type: f.type, size: f.size, thumbnail: false })) : undefined
}
