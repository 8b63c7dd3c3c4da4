import type { Agent, Role } from '@parley/sdk/contract'
import type { AgentRecord, NewAgent } from '../store/store.js'
import type { Deps } from '../deps.js'
import { hashPassword } from '../auth/passwords.js'

/** Who a new agent is; createAgent adds the password, agentRow its hash. */
interface NewAgentInput { brandId: string; email: string; name: string; role?: Role }

/** Creates an agent (role `agent` unless given); resolves null when that e-mail already has an account in the brand. */
export async function createAgent(
  deps: Deps,
  input: NewAgentInput & { password: string },
): Promise<AgentRecord | null> {
  if (input.password.length < 8) throw new Error('password must be at least 8 characters')
  return deps.store.createAgent(agentRow(deps, input, await hashPassword(input.password)))
}

/** The row createAgent stores for `input` and a password already hashed (test agents share one hash). */
export function agentRow(deps: Pick<Deps, 'ids' | 'clock'>, input: NewAgentInput, passwordHash: string): NewAgent {
  return {
    brandId: input.brandId,
    agentId: deps.ids.next('a_'),
    email: input.email.trim().toLowerCase(),
    name: input.name.trim(),
    passwordHash,
    createdAt: deps.clock.now(),
    ...(input.role ? { role: input.role } : {}),
  }
}

/** An agent as the API shows it: never the password hash. */
export function publicAgent(a: AgentRecord): Required<Agent> {
  return { agentId: a.agentId, brandId: a.brandId, email: a.email, name: a.name, createdAt: a.createdAt, capacity: a.capacity, skills: a.skills, role: a.role, active: a.active }
}
