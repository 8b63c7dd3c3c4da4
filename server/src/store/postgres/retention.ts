import type { PrivacyConfig } from '@parley/sdk/contract'
import type { Store, VisitorConversationRecord } from '../store.js'
import type { PgDb } from './db.js'
import { type ConversationRow, jsonb, toConversation } from './rows.js'

// What the brand keeps and for how long (schema 006): the privacy document in brands.privacy_config
// (NULL: never saved, every period off), a conversation's legal hold in conversations.legal_hold, and
// the conversations a retention purge may erase, each kind off its own partial index.

type RetentionMethods = Pick<Store, 'setLegalHold' | 'listExpiredConversations' | 'getPrivacyConfig' | 'setPrivacyConfig'>

const EXPIRED_CHATS = `SELECT conv_id, closed_at AS t FROM conversations
  WHERE brand_id = $1 AND status = 'closed' AND erased_at IS NULL AND closed_at < $2 AND origin = 'chat' AND legal_hold IS NULL
  ORDER BY closed_at, conv_id LIMIT $3`
// Offline entries: answered or not, once they are older than their period.
const EXPIRED_OFFLINE = `SELECT conv_id, created_at AS t FROM conversations
  WHERE brand_id = $1 AND origin = 'offline' AND erased_at IS NULL AND created_at < $2 AND legal_hold IS NULL
  ORDER BY created_at, conv_id LIMIT $3`

/** The retention and legal hold methods of the PostgreSQL store. */
export function createRetention(db: PgDb): RetentionMethods {
  return {
    async getPrivacyConfig(brandId) {
      return db.tx(brandId, async (tx) =>
        (await tx.one<{ doc: PrivacyConfig | null }>('SELECT privacy_config AS doc FROM brands WHERE brand_id = $1', [brandId]))?.doc ?? null)
    },
    async setPrivacyConfig(brandId, config) {
      await db.tx(brandId, (tx) => tx.run('UPDATE brands SET privacy_config = $2::jsonb WHERE brand_id = $1', [brandId, jsonb(config)]))
    },
    async setLegalHold(brandId, convId, hold) {
      const r = await db.tx(brandId, (tx) => tx.one<ConversationRow>(
        'UPDATE conversations SET legal_hold = $3::jsonb WHERE brand_id = $1 AND conv_id = $2 RETURNING *', [brandId, convId, jsonb(hold)]))
      if (!r) return null
      const c = toConversation(r)
      return { ...c, erasedAt: c.erasedAt ?? null, legalHold: c.legalHold ?? null } satisfies VisitorConversationRecord
    },
    async listExpiredConversations(brandId, cutoffs, limit) {
      const found = await db.tx(brandId, async (tx) => [
        ...(cutoffs.chatClosedBefore !== null ? await tx.rows<{ conv_id: string; t: number }>(EXPIRED_CHATS, [brandId, cutoffs.chatClosedBefore, limit]) : []),
        ...(cutoffs.offlineCreatedBefore !== null ? await tx.rows<{ conv_id: string; t: number }>(EXPIRED_OFFLINE, [brandId, cutoffs.offlineCreatedBefore, limit]) : []),
      ])
      found.sort((a, b) => a.t - b.t || (a.conv_id < b.conv_id ? -1 : a.conv_id > b.conv_id ? 1 : 0))
      return found.slice(0, limit).map((r) => r.conv_id)
    },
  }
}
