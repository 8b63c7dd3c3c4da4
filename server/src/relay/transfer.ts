import type { ConversationTransfer } from '@parley/sdk/contract'
import type { SessionPort } from './session-port.js'

// Placeholder until its feature lands: refused as an unknown frame type.

/** Handles ConversationTransfer. */
export function handleTransfer(s: SessionPort, frame: ConversationTransfer): boolean {
  s.reject('PARLEY_ERR_FRAME_UNKNOWN_TYPE', [frame.type], frame.ref)
  return false
}
