import type { ConnectionState } from './types.js'

// What a person should be told about the connection, from the client's state: one word a badge or
// notice can show. Pure, so the widget and the console say the same thing for the same state.

/** The connection as a user sees it. */
export type LinkStatus = 'connected' | 'connecting' | 'reconnecting' | 'offline' | 'stopped'

/** The link status of a connection state: `reconnecting` once a socket was lost or refused. */
export function linkStatus(state: ConnectionState): LinkStatus {
  switch (state.kind) {
    case 'open': return 'connected'
    case 'idle': return 'connecting'
    case 'connecting': return state.reconnecting ? 'reconnecting' : 'connecting'
    case 'retrying': return 'reconnecting'
    case 'offline': return 'offline'
    case 'stopped': return 'stopped'
  }
}
