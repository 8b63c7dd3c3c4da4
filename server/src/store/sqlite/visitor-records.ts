import type Database from 'better-sqlite3'
import type { ConsentEvent, Survey, VisitorContext } from '@parley/sdk/contract'
import type { ConversationRecord, LegalHoldRecord, Store, VisitorConversationRecord, VisitorDataRecord } from '../store.js'
import { type ConversationRow, type VisitorRow, toVisitor } from './rows.js'
import { createDefinitionReader } from './survey-rows.js'
import { withoutBehaviour } from '../behavioural-context.js'
import { isEmailField } from '../contact-fields.js'

// A visitor's data as the data-rights calls read it (migration 16): which visitors a selector names,
// their records, conversations (erased stubs included) and consent history, and consent changes.
// Visitor id lists travel into SQL as one JSON array (json_each), so a statement serves any count.

type VisitorRecordMethods = Pick<Store, 'findVisitorIds' | 'getVisitor' | 'listVisitorConversations' | 'listConsentEvents' | 'recordConsent'>

interface ConsentRow { visitor_id: string; at: number; state: ConsentEvent['state']; source: ConsentEvent['source'] }

/** What visitor-records.ts borrows from the SQLite store it is part of. */
export interface VisitorRecordDeps {
  /** The record of a conversations row (with the lastSeq of messages not indexed yet). */
  conversation: (row: ConversationRow) => ConversationRecord
}

/** The visitor-data readers and consent of the SQLite store. */
export function createVisitorRecords(db: Database.Database, deps: VisitorRecordDeps): VisitorRecordMethods {
  const q = {
    visitor: db.prepare<[string, string], VisitorRow & { consent: VisitorDataRecord['consent'] }>(
      'SELECT * FROM visitors WHERE brand_id = ? AND visitor_id = ?'),
    anyConv: db.prepare<[string, string], { one: number }>('SELECT 1 AS one FROM conversations WHERE brand_id = ? AND visitor_id = ? LIMIT 1'),
    customer: db.prepare<[string, string], { visitor_id: string }>('SELECT visitor_id FROM customers WHERE brand_id = ? AND customer_id = ?'),
    byContact: db.prepare<[string, string], { visitor_id: string }>(
      'SELECT DISTINCT visitor_id FROM conversations WHERE brand_id = ? AND contact_email = ?'),
    byCustomerEmail: db.prepare<[string, string], { visitor_id: string }>(
      'SELECT visitor_id FROM customers WHERE brand_id = ? AND lower(email) = ?'),
    // Candidates only: any text answer equal to the address; the field's type is checked off the
    // survey version answered. A scan of the brand's answers, as exports and erasures are rare.
    byAnswer: db.prepare<[string, string], { visitor_id: string; survey_id: string; version: number; field: string }>(`
      SELECT c.visitor_id, r.survey_id, r.version, a.key AS field
      FROM survey_responses r, json_each(r.answers) a JOIN conversations c ON c.brand_id = r.brand_id AND c.conv_id = r.conv_id
      WHERE r.brand_id = ? AND a.type = 'text' AND lower(a.value) = ?`),
    conversations: db.prepare<[string, string, number, number, string, number], ConversationRow>(`SELECT * FROM conversations
      WHERE brand_id = ? AND visitor_id IN (SELECT value FROM json_each(?)) AND (created_at > ? OR (created_at = ? AND conv_id > ?))
      ORDER BY created_at, conv_id LIMIT ?`),
    consentEvents: db.prepare<[string, string], ConsentRow>(`SELECT visitor_id, at, state, source FROM consent_events
      WHERE brand_id = ? AND visitor_id IN (SELECT value FROM json_each(?)) ORDER BY at, rowid`),
    insertEvent: db.prepare('INSERT INTO consent_events (brand_id, visitor_id, at, state, source) VALUES (?, ?, ?, ?, ?)'),
    // A visitor first heard of through their consent has had no visit counted yet.
    setConsent: db.prepare(`INSERT INTO visitors (brand_id, visitor_id, created_at, last_seen_at, visit_count, context, consent)
      VALUES (@brand, @visitor, @at, @at, 0, NULL, @state)
      ON CONFLICT (brand_id, visitor_id) DO UPDATE SET consent = @state,
        visit_count = CASE WHEN @state = 'denied' THEN 0 ELSE visit_count END`),
    setVisitorContext: db.prepare('UPDATE visitors SET context = ? WHERE brand_id = ? AND visitor_id = ?'),
    convContexts: db.prepare<[string, string], { id: number; context: string }>(
      'SELECT id, context FROM conversations WHERE brand_id = ? AND visitor_id = ? AND context IS NOT NULL'),
    setConvContext: db.prepare('UPDATE conversations SET context = ? WHERE id = ?'),
  }
  const definitionOf = createDefinitionReader(db)

  /** The visitors whose survey answers to an e-mail field are `email` (lower case). */
  function answeredBy(brandId: string, email: string): string[] {
    const found: string[] = []
    const fields = new Map<string, Survey['fields'] | null>()
    for (const r of q.byAnswer.iterate(brandId, email)) {
      const key = `${r.survey_id}\0${r.version}`
      if (!fields.has(key)) {
        const definition = definitionOf(brandId, r.survey_id, r.version)
        fields.set(key, definition ? (JSON.parse(definition) as Survey).fields : null)
      }
      if (fields.get(key)?.some((f) => f.id === r.field && isEmailField(f))) found.push(r.visitor_id)
    }
    return found
  }

  /** The stored context without behavioural values, or null when it had none to drop. */
  function stripped(text: string): string | null {
    const context = JSON.parse(text) as VisitorContext
    const bare = withoutBehaviour(context)
    return bare === context ? null : JSON.stringify(bare)
  }

  const consentTx = db.transaction((brandId: string, visitorId: string, event: Omit<ConsentEvent, 'visitorId'>) => {
    q.insertEvent.run(brandId, visitorId, event.at, event.state, event.source)
    q.setConsent.run({ brand: brandId, visitor: visitorId, at: event.at, state: event.state })
    if (event.state !== 'denied') return { conversations: 0 }
    const own = q.visitor.get(brandId, visitorId)?.context
    const bareOwn = own ? stripped(own) : null
    if (bareOwn !== null) q.setVisitorContext.run(bareOwn, brandId, visitorId)
    let conversations = 0
    for (const c of q.convContexts.all(brandId, visitorId)) {
      const bare = stripped(c.context)
      if (bare === null) continue
      q.setConvContext.run(bare, c.id)
      conversations++
    }
    return { conversations }
  })

  return {
    async findVisitorIds(brandId, selector) {
      let ids: string[]
      if ('visitorId' in selector) {
        const known = q.visitor.get(brandId, selector.visitorId) ?? q.anyConv.get(brandId, selector.visitorId)
        ids = known ? [selector.visitorId] : []
      } else if ('customerId' in selector) {
        const c = q.customer.get(brandId, selector.customerId)
        ids = c ? [c.visitor_id] : []
      } else {
        const email = selector.email.toLowerCase()
        ids = [
          ...q.byContact.all(brandId, email).map((r) => r.visitor_id),
          ...q.byCustomerEmail.all(brandId, email).map((r) => r.visitor_id),
          ...answeredBy(brandId, email),
        ]
      }
      return [...new Set(ids)].sort()
    },
    async getVisitor(brandId, visitorId) {
      const r = q.visitor.get(brandId, visitorId)
      return r ? { ...toVisitor(r), consent: r.consent ?? null } : null
    },
    async listVisitorConversations(brandId, visitorIds, after, limit) {
      if (visitorIds.length === 0) return []
      const at = after?.createdAt ?? -1
      const rows = q.conversations.all(brandId, JSON.stringify(visitorIds), at, at, after?.convId ?? '', limit)
      return rows.map((r): VisitorConversationRecord => ({
        ...deps.conversation(r),
        erasedAt: r.erased_at ?? null,
        legalHold: r.legal_hold ? (JSON.parse(r.legal_hold) as LegalHoldRecord) : null,
      }))
    },
    async listConsentEvents(brandId, visitorIds) {
      if (visitorIds.length === 0) return []
      return q.consentEvents.all(brandId, JSON.stringify(visitorIds))
        .map((r) => ({ visitorId: r.visitor_id, at: r.at, state: r.state, source: r.source }))
    },
    async recordConsent(brandId, visitorId, event) { return consentTx.immediate(brandId, visitorId, event) },
  }
}
