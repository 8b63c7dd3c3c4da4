import type { AgentStatus } from '@parley/sdk/contract'

// The console's automatic "away": pure arithmetic over the agent's own status, their idle minutes
// and the time of their last activity. The timers and DOM events are idle-watch.ts's.

/** What the idle logic knows. */
export interface IdleInput {
  /** The agent's own status as the relay last said (or as the console just asked for). */
  status: AgentStatus
  /** Whether `away` was set by this timer, so activity may undo it. */
  auto: boolean
  /** Minutes idle before away; 0: never. */
  awayAfterMin: number
  /** When the agent last moved, typed or clicked in the console (ms). */
  lastActivityAt: number
}

/** Whether an available agent has now been idle for their minutes. */
export function isIdleDue(s: IdleInput, now: number): boolean {
  return msUntilIdle(s, now) === 0
}

/** Ms until the agent counts as idle (0: now); null when they never will from here (away, offline, or 0 minutes). */
export function msUntilIdle(s: IdleInput, now: number): number | null {
  if (s.status !== 'available' || s.awayAfterMin <= 0) return null
  return Math.max(0, s.lastActivityAt + s.awayAfterMin * 60_000 - now)
}

/** Whether activity should bring the agent back: only an away the idle timer set, never one they chose. */
export function isBackOnActivity(s: IdleInput): boolean {
  return s.status === 'away' && s.auto
}
