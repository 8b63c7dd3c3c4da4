import type { ConversationDecline } from '@parley/sdk/contract'
import type { SessionPort } from './session-port.js'

// Placeholder until its feature lands: refused as an unknown frame type.

/** Handles ConversationDecline. */
export function handleDecline(s: SessionPort, frame: ConversationDecline): boolean {
  s.reject('PARLEY_ERR_FRAME_UNKNOWN_TYPE', [frame.type], frame.ref)
  return false
}
