import type { ConsentEvent, VisitorContext } from '@parley/sdk/contract'
import type { LegalHoldRecord, VisitorConversationRecord, VisitorDataRecord, VisitorDataStore } from '../store.js'
import type { PgDb } from './db.js'
import { type ConversationRow, toConversation } from './rows.js'
import { emailFieldSql } from '../contact-fields.js'

// What export and erasure read of a visitor: which visitors a selector names, their record, their
// conversations (erased stubs included) and their consent history. Ids and positions compare in
// byte order (COLLATE "C"), as SQLite's BINARY does, whatever the database's collation.

type VisitorRecordMethods = Pick<VisitorDataStore, 'findVisitorIds' | 'getVisitor' | 'listVisitorConversations' | 'listConsentEvents'>

interface VisitorRow {
  brand_id: string; visitor_id: string; created_at: number; last_seen_at: number; visit_count: number
  context: VisitorContext | null; consent: 'granted' | 'denied' | null
}

type VisitorConversationRow = ConversationRow & { erased_at: number | null; legal_hold: LegalHoldRecord | null }

/** The brand's ($1) survey answers to fields that ask for an e-mail (by type or by purpose), with their conversation. */
const EMAIL_ANSWERS = `SELECT r.brand_id, r.conv_id, r.answers ->> (f ->> 'id') AS answer FROM survey_responses r
  JOIN survey_versions sv ON sv.brand_id = r.brand_id AND sv.survey_id = r.survey_id AND sv.version = r.version
  CROSS JOIN LATERAL jsonb_array_elements(sv.definition -> 'fields') f
  WHERE r.brand_id = $1 AND ${emailFieldSql('f')} AND jsonb_typeof(r.answers -> (f ->> 'id')) = 'string'`

/**
 * The visitors an e-mail address names ($2, lower case): a conversation's contact or a verified
 * customer (parley_visitors_by_email, through their indexes), a survey answer to a field that asks
 * for an e-mail.
 */
const VISITORS_BY_EMAIL = `
  SELECT v FROM parley_visitors_by_email($2) AS v
  UNION SELECT c.visitor_id FROM (${EMAIL_ANSWERS}) a
    JOIN conversations c ON c.brand_id = a.brand_id AND c.conv_id = a.conv_id
    WHERE lower(a.answer) = $2`

const VISITOR_BY_ID = `
  SELECT v.visitor_id AS v FROM visitors v WHERE v.brand_id = $1 AND v.visitor_id = $2
  UNION SELECT c.visitor_id FROM conversations c WHERE c.brand_id = $1 AND c.visitor_id = $2`

const VISITOR_BY_CUSTOMER = 'SELECT k.visitor_id AS v FROM customers k WHERE k.brand_id = $1 AND k.customer_id = $2'

function toVisitorConversation(r: VisitorConversationRow): VisitorConversationRecord {
  return { ...toConversation(r), erasedAt: r.erased_at, legalHold: r.legal_hold }
}

/** The Store's visitor reads of the data-rights calls, over `db`. */
export function createVisitorRecords(db: PgDb): VisitorRecordMethods {
  return {
    async findVisitorIds(brandId, selector) {
      const [sql, value] = 'visitorId' in selector ? [VISITOR_BY_ID, selector.visitorId]
        : 'customerId' in selector ? [VISITOR_BY_CUSTOMER, selector.customerId]
          : [VISITORS_BY_EMAIL, selector.email.toLowerCase()]
      const rows = await db.tx(brandId, (tx) => tx.rows<{ v: string }>(`SELECT DISTINCT v COLLATE "C" AS v FROM (${sql}) s ORDER BY 1`, [brandId, value]))
      return rows.map((r) => r.v)
    },

    async getVisitor(brandId, visitorId): Promise<VisitorDataRecord | null> {
      const r = await db.tx(brandId, (tx) => tx.one<VisitorRow>(`SELECT brand_id, visitor_id, created_at, last_seen_at, visit_count, context, consent
        FROM visitors WHERE brand_id = $1 AND visitor_id = $2`, [brandId, visitorId]))
      return r && {
        brandId: r.brand_id, visitorId: r.visitor_id, createdAt: r.created_at, lastSeenAt: r.last_seen_at,
        visitCount: r.visit_count, context: r.context, consent: r.consent,
      }
    },

    async listVisitorConversations(brandId, visitorIds, after, limit) {
      const rows = await db.tx(brandId, (tx) => tx.rows<VisitorConversationRow>(`SELECT * FROM conversations c
        WHERE c.brand_id = $1 AND c.visitor_id = ANY($2)
          AND ($3::bigint IS NULL OR c.created_at > $3 OR (c.created_at = $3 AND c.conv_id > $4 COLLATE "C"))
        ORDER BY c.created_at, c.conv_id COLLATE "C" LIMIT $5`, [brandId, visitorIds, after?.createdAt ?? null, after?.convId ?? '', limit]))
      return rows.map(toVisitorConversation)
    },

    async listConsentEvents(brandId, visitorIds) {
      const rows = await db.tx(brandId, (tx) => tx.rows<{ visitor_id: string; at: number; state: ConsentEvent['state']; source: ConsentEvent['source'] }>(
        `SELECT visitor_id, at, state, source FROM consent_events WHERE brand_id = $1 AND visitor_id = ANY($2) ORDER BY at, id`, [brandId, visitorIds]))
      return rows.map((r) => ({ visitorId: r.visitor_id, at: r.at, state: r.state, source: r.source }))
    },
  }
}
