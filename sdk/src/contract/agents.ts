import { Type, type Static } from '@sinclair/typebox'
import { Id, Timestamp } from './ids.js'
import { MAX_AGENT_CAPACITY, MAX_AWAY_AFTER_MIN } from './agent-limits.js'
import { MAX_AGENT_SKILLS } from './routing-limits.js'
import { RoleName } from './security.js'

/** A skill (team) an agent has and a chat may need: the same slugs as a survey's routing `skill`. */
export const Skill = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9][a-z0-9_-]*$' })

// Agent availability: the status an agent chooses (or the console's idle timer sets), their chat
// capacity, and how colleagues see them. Frames carry AgentPresence, so this file imports no frame.

const strict = { additionalProperties: false } as const

/**
 * An agent's status: the one they chose (`available`, `away`), or `offline` while they have no
 * connection to the relay. `away` may have been set automatically after the agent's idle time.
 */
export const AgentStatus = Type.Union([Type.Literal('available'), Type.Literal('away'), Type.Literal('offline')])
export type AgentStatus = Static<typeof AgentStatus>


/** An agent as colleagues see their availability. */
export const AgentPresence = Type.Object({
  agentId: Id,
  name: Type.String(),
  status: AgentStatus,
  /** True when `away` was set by the console after the agent's idle time, not by the agent. */
  auto: Type.Boolean(),
  /** Chats at once this agent takes (default 3). */
  capacity: Type.Integer({ minimum: 1, maximum: MAX_AGENT_CAPACITY }),
  /** Open live chats assigned to the agent now (offline messages, answered by e-mail, take no slot). */
  activeChats: Type.Integer({ minimum: 0 }),
  /** Minutes idle before the console sets `away` (0: never). */
  awayAfterMin: Type.Integer({ minimum: 0, maximum: MAX_AWAY_AFTER_MIN }),
  /** The skills (teams) the agent has: automatic routing offers them chats that need one of these, or none. */
  skills: Type.Array(Skill),
  since: Timestamp,
}, strict)
export type AgentPresence = Static<typeof AgentPresence>

/** GET /v1/agents/presence (any agent of the brand, or its API key): every agent's availability. */
export const AgentPresenceList = Type.Object({ agents: Type.Array(AgentPresence) }, strict)
export type AgentPresenceList = Static<typeof AgentPresenceList>

/** PUT /v1/agent/status (the agent's own token): choose a status; `auto` when the console's idle timer sets it. */
export const SetAgentStatus = Type.Object({
  status: Type.Union([Type.Literal('available'), Type.Literal('away')]),
  auto: Type.Optional(Type.Boolean()),
  awayAfterMin: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_AWAY_AFTER_MIN })),
}, strict)
export type SetAgentStatus = Static<typeof SetAgentStatus>

/** PATCH /v1/agents/:agentId (brand API key): change an agent's name, capacity or skills (replaced whole). */
export const AgentPatch = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  capacity: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_AGENT_CAPACITY })),
  skills: Type.Optional(Type.Array(Skill, { maxItems: MAX_AGENT_SKILLS, uniqueItems: true })),
  /** Admins only: the account's role; the last active admin keeps theirs (PARLEY_ERR_AUTH_LAST_ADMIN). */
  role: Type.Optional(RoleName),
  /** Admins only: false deactivates the account (its sessions end at once, on every node); true brings it back. */
  active: Type.Optional(Type.Boolean()),
}, strict)
export type AgentPatch = Static<typeof AgentPatch>

/** Path parameter holding an agent id. */
export const AgentParams = Type.Object({ agentId: Id }, strict)
export type AgentParams = Static<typeof AgentParams>
