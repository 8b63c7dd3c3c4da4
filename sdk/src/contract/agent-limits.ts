// The numbers of agents' availability that the relay's schemas (agents.ts) and the console's
// controls share. No TypeBox here, so the console imports them without the schema library.

/** An agent's chat capacity when none was set. */
export const DEFAULT_AGENT_CAPACITY = 3
/** The most chats at once an agent can be given. */
export const MAX_AGENT_CAPACITY = 50
/** Minutes without activity in the console before an available agent turns away, when the agent set none. */
export const DEFAULT_AWAY_AFTER_MIN = 10
/** The longest idle time, in minutes, an agent may set before the console turns them away (8 hours). */
export const MAX_AWAY_AFTER_MIN = 480
