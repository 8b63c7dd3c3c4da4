import type { SessionPort } from './session-port.js'

/** Whether the connection is an agent's; a visitor's frame is refused with PROTOCOL_ROLE. */
export function requireAgent(s: SessionPort, type: string, ref: string | undefined): boolean {
  if (s.who.kind === 'agent') return true
  s.reject('PARLEY_ERR_PROTOCOL_ROLE', ['visitor', type], ref)
  return false
}
