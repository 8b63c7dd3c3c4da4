import type { ClientFrame } from '@parley/sdk/contract'

/** `{ ref }` to spread into a reply when the client's frame carried one, else nothing. */
export function withRef(ref: string | undefined): { ref?: string } {
  return ref !== undefined ? { ref } : {}
}

/**
 * The correlation id a frame carries, echoed in errors: a frame the client keeps in its outbox
 * (message.send, conversation.open, survey.answer) is refused under its clientMsgId.
 */
export function refOf(frame: ClientFrame): string | undefined {
  if (frame.type === 'note.add') return frame.ref ?? frame.clientNoteId
  return frame.type === 'message.send' || frame.type === 'conversation.open' || frame.type === 'survey.answer' ? frame.clientMsgId : frame.ref
}
