import { PRIORITIES, type Routing } from '@parley/sdk/contract'
import type { ConversationFacts } from '../policy/conversation-policy.js'

// Columns of a conversations row that both stores' tables hold alike (routing, and the facts the
// policy decides on), and their mapping to and from the Store's values: pure, no database in it.

/** The routing columns of a row; SQLite's partial selects may leave them out. */
interface RoutingColumns { topic?: string | null; skill?: string | null; priority?: number }

/** The routing columns as a Routing: absent values left out; priority 1 (normal, the default) too. */
export function routingOf(r: RoutingColumns): Routing {
  const routing: Routing = {}
  if (r.topic) routing.topic = r.topic
  if (r.skill) routing.skill = r.skill
  if (r.priority !== undefined && r.priority !== 1) routing.priority = PRIORITIES[r.priority]
  return routing
}

/** The routing columns' values for a Routing: priority as its index (0 low … 3 urgent), normal when unset. */
export function routingColumns(routing: Routing): { topic: string | null; skill: string | null; priority: number } {
  return { topic: routing.topic ?? null, skill: routing.skill ?? null, priority: PRIORITIES.indexOf(routing.priority ?? 'normal') }
}

/** The policy's facts about a conversations row. */
export function factsOf(r: { visitor_id: string; status: 'open' | 'closed'; assigned_agent: string | null }): ConversationFacts {
  return { visitorId: r.visitor_id, status: r.status, assignedAgentId: r.assigned_agent }
}
