// Who may do what: the roles of agent accounts, the scopes of API keys, and the one table that says
// which role and which scope each action needs. Plain data without TypeBox, so the console imports it
// to show only what a role allows; the relay's policy (server/src/auth/policy.ts) decides with it,
// adding what depends on the resource (an agent sees only conversations they take or took part in).

/** Agent account roles, each allowed everything the one before it is. */
export const ROLES = ['agent', 'supervisor', 'admin'] as const
/** An agent account's role. */
export type Role = (typeof ROLES)[number]

/** What an API key may be allowed; a key is refused every action whose scope it lacks. */
export const SCOPES = [
  'config:read', 'config:write', 'transcripts:read', 'reports:read', 'agents:write', 'keys:write', 'audit:read',
  'data:export', 'data:erase', 'webhooks:write',
] as const
/** An API key scope. */
export type Scope = (typeof SCOPES)[number]

/** The scopes of an admin key (the bootstrap key `parley brand create` prints has them all). */
export const ALL_SCOPES: readonly Scope[] = [...SCOPES]

/** What an action needs: the least role of an agent, and the scope of a key (null: no key may). */
export interface ActionNeeds {
  role: Role
  scope: Scope | null
}

/**
 * Every action the policy answers for, REST and WebSocket alike. Conversation actions depend on the
 * resource too: an agent (role `agent`) may read, join or search only conversations they take or
 * took part in, and those waiting in the queue.
 */
export const ACTIONS = {
  /** Work the queue: accept and answer chats, set one's own status, notes and canned replies of one's own. */
  'queue.work': { role: 'agent', scope: null },
  /** See the team: colleagues by name, their availability, the brand's survey and widget documents. */
  'team.read': { role: 'agent', scope: 'config:read' },
  /** Read one conversation: its header, messages, notes, answers and files; join it live. */
  'conversation.read': { role: 'agent', scope: 'transcripts:read' },
  /** List and search conversations (an agent's results hold only their own). */
  'conversation.search': { role: 'agent', scope: 'transcripts:read' },
  /** Hand on or assign a conversation someone else holds. */
  'conversation.reassign': { role: 'supervisor', scope: null },
  /** A verified customer's earlier conversations (agents too when the brand's security settings say so). */
  'customer.history': { role: 'supervisor', scope: 'transcripts:read' },
  /** Reports, rule statistics and the supervisor's floor view. */
  'reports.read': { role: 'supervisor', scope: 'reports:read' },
  /** Brand-wide canned replies: create, change, delete. */
  'canned.manage': { role: 'supervisor', scope: 'config:write' },
  /** Read the brand's configuration documents (rules, masking, routing, security, …). */
  'config.read': { role: 'admin', scope: 'config:read' },
  /** Change the brand's configuration: documents, rules, masking and its runs, identity keys. */
  'config.write': { role: 'admin', scope: 'config:write' },
  /** Agent accounts: create, change role, skills and capacity, deactivate; list and revoke sessions. */
  'accounts.manage': { role: 'admin', scope: 'agents:write' },
  /** API keys: create, list, rotate, revoke. */
  'keys.manage': { role: 'admin', scope: 'keys:write' },
  /** Read the audit log. */
  'audit.read': { role: 'admin', scope: 'audit:read' },
  /** Export a visitor's data. */
  'data.export': { role: 'admin', scope: 'data:export' },
  /** Correct or erase a visitor's data. */
  'data.erase': { role: 'admin', scope: 'data:erase' },
  /** Webhook endpoints and their deliveries. */
  'webhooks.manage': { role: 'admin', scope: 'webhooks:write' },
} as const satisfies Record<string, ActionNeeds>

/** An action the policy answers for. */
export type Action = keyof typeof ACTIONS

/** Whether `role` is at least `least` (admin ⊇ supervisor ⊇ agent). */
export function roleAtLeast(role: Role, least: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(least)
}

/** Whether an agent of `role` may do `action` at all (resource rules aside). */
export function roleAllows(role: Role, action: Action): boolean {
  return roleAtLeast(role, ACTIONS[action].role)
}

/** Whether a key with `scopes` may do `action`. */
export function scopesAllow(scopes: readonly Scope[], action: Action): boolean {
  const scope: Scope | null = ACTIONS[action].scope
  return scope !== null && scopes.includes(scope)
}
