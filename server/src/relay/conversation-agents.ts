import type { ServerFrame } from '@parley/sdk/contract'
import type { SessionPort } from './session-port.js'

// Fan-out to the agents taking part in a conversation, read from the store rather than from who
// follows it: a closed conversation has no followers left (fanout.ts stops routing it), yet its
// post-chat answer is for the agents who handled it. One event per agent, each delivered only to
// that agent's connections, on every node.

/** Publishes `frame` to the connections of each agent in the conversation (the caller's own connection skipped). */
export async function publishToConversationAgents(s: SessionPort, convId: string, frame: ServerFrame): Promise<void> {
  for (const agentId of await s.ctx.deps.store.listConversationAgents(s.brandId, convId)) {
    s.ctx.deps.bus.publish({ brandId: s.brandId, audience: { kind: 'agents' }, frame, onlyIdentity: `agent:${agentId}`, exceptConnId: s.connId })
  }
}
