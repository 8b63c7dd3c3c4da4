import type { AgentStatus } from '@parley/sdk/contract'

// The words for an agent's status, shared by the team list, the floor and the transfer dialog.

/** What an agent's status badge says: their chosen status while connected, offline otherwise. */
export const STATUS_TEXT: Record<AgentStatus, string> = { available: 'Available', away: 'Away', offline: 'Offline' }
