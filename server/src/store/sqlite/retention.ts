import type Database from 'better-sqlite3'
import type { PrivacyConfig } from '@parley/sdk/contract'
import type { Store, VisitorConversationRecord } from '../store.js'
import { type ConversationRow, toConversation } from './rows.js'

// What the brand keeps and for how long (migration 16): the privacy document in
// brands.privacy_config (NULL: never saved, every period off), a conversation's legal hold as JSON
// text in conversations.legal_hold, and the conversations a retention purge may erase. Each kind
// is read off its own partial index, so stubs already erased are never scanned again.

type RetentionMethods = Pick<Store, 'setLegalHold' | 'listExpiredConversations' | 'getPrivacyConfig' | 'setPrivacyConfig'>

/** The retention and legal hold methods of the SQLite store. */
export function createRetention(db: Database.Database): RetentionMethods {
  const q = {
    getConfig: db.prepare<[string], { privacy_config: string | null }>('SELECT privacy_config FROM brands WHERE brand_id = ?'),
    setConfig: db.prepare('UPDATE brands SET privacy_config = ? WHERE brand_id = ?'),
    hold: db.prepare<[string | null, string, string], ConversationRow>('UPDATE conversations SET legal_hold = ? WHERE brand_id = ? AND conv_id = ? RETURNING *'),
    // Chats: the conversations_expiring index (closed, unerased), oldest close first.
    chats: db.prepare<[string, number, number], { conv_id: string; t: number }>(`
      SELECT conv_id, closed_at AS t FROM conversations INDEXED BY conversations_expiring
      WHERE brand_id = ? AND status = 'closed' AND erased_at IS NULL AND closed_at < ? AND origin = 'chat' AND legal_hold IS NULL
      ORDER BY closed_at, conv_id LIMIT ?`),
    // Offline entries: answered or not, once they are older than their period.
    offline: db.prepare<[string, number, number], { conv_id: string; t: number }>(`
      SELECT conv_id, created_at AS t FROM conversations INDEXED BY conversations_offline_expiring
      WHERE brand_id = ? AND origin = 'offline' AND erased_at IS NULL AND created_at < ? AND legal_hold IS NULL
      ORDER BY created_at, conv_id LIMIT ?`),
  }
  return {
    async getPrivacyConfig(brandId) {
      const raw = q.getConfig.get(brandId)?.privacy_config
      return raw ? (JSON.parse(raw) as PrivacyConfig) : null
    },
    async setPrivacyConfig(brandId, config) { q.setConfig.run(JSON.stringify(config), brandId) },
    async setLegalHold(brandId, convId, hold) {
      const r = q.hold.get(hold ? JSON.stringify(hold) : null, brandId, convId)
      return r ? toHeldConversation(r) : null
    },
    async listExpiredConversations(brandId, cutoffs, limit) {
      const found = [
        ...(cutoffs.chatClosedBefore !== null ? q.chats.all(brandId, cutoffs.chatClosedBefore, limit) : []),
        ...(cutoffs.offlineCreatedBefore !== null ? q.offline.all(brandId, cutoffs.offlineCreatedBefore, limit) : []),
      ]
      found.sort((a, b) => a.t - b.t || (a.conv_id < b.conv_id ? -1 : a.conv_id > b.conv_id ? 1 : 0))
      return found.slice(0, limit).map((r) => r.conv_id)
    },
  }
}

function toHeldConversation(r: ConversationRow): VisitorConversationRecord {
  const c = toConversation(r)
  return { ...c, erasedAt: c.erasedAt ?? null, legalHold: c.legalHold ?? null }
}
