import type { AgentPresence } from '@parley/sdk/contract'

// The skills (teams) the console knows of, from the team's presence: which queues a chat can be
// handed to. Pure.

/** One skill and how many agents with it are available now. */
export interface TeamSkill {
  skill: string
  available: number
}

/** Every skill some agent has, by name, with how many of its agents are available. */
export function skillsOf(team: readonly AgentPresence[]): TeamSkill[] {
  const by = new Map<string, number>()
  for (const a of team) for (const s of a.skills) by.set(s, (by.get(s) ?? 0) + (a.status === 'available' ? 1 : 0))
  return [...by].map(([skill, available]) => ({ skill, available })).sort((x, y) => x.skill.localeCompare(y.skill))
}
