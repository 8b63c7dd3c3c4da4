import type Database from 'better-sqlite3'
import type { Store } from '../store.js'

// Who among the brand's agents takes part in a conversation, read for fan-out that must reach them
// whether or not the conversation is still open (a post-chat answer arrives after the close, when
// no connection follows the conversation any more).

/** The conversation-agents method of the SQLite store. */
export function createConversationAgents(db: Database.Database): Pick<Store, 'listConversationAgents'> {
  const agents = db.prepare<[string, string], { agent_id: string }>(`SELECT s.ext_id AS agent_id
    FROM conversations c JOIN participants p ON p.conv = c.id JOIN senders s ON s.id = p.sender
    WHERE c.brand_id = ? AND c.conv_id = ? AND s.kind = 'agent' ORDER BY p.joined_at, s.ext_id`)
  return {
    async listConversationAgents(brandId, convId) {
      return agents.all(brandId, convId).map((r) => r.agent_id)
    },
  }
}
