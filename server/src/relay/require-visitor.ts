import type { SessionPort } from './session-port.js'

/** Whether the connection is a visitor's; an agent's frame is refused with PROTOCOL_ROLE. */
export function requireVisitor(s: SessionPort, type: string, ref: string | undefined): boolean {
  if (s.who.kind === 'visitor') return true
  s.reject('PARLEY_ERR_PROTOCOL_ROLE', ['agent', type], ref)
  return false
}
