import type { Store } from '../store/store.js'

// A chat may need a skill that no agent of the brand has (an agent's skills were changed, or a
// rule or pre-chat answer names a team nobody is on). Waiting for it would strand the visitor for
// ever, so routing and the queue places treat such a chat as needing no skill at all.

/** Agents read to learn the brand's skills (as the status board lists). */
const AGENTS_READ = 1000

/** The skills at least one agent of the brand has, whatever their status. */
export async function brandSkills(store: Store, brandId: string): Promise<Set<string>> {
  return new Set((await store.listAgents(brandId, AGENTS_READ)).flatMap((a) => a.skills))
}

/** The skill a chat is routed by: its own when some agent of the brand has it, else none. */
export function routableSkill(skill: string | undefined, known: ReadonlySet<string>): string | undefined {
  return skill !== undefined && known.has(skill) ? skill : undefined
}
