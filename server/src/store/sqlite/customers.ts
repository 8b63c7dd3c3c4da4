import type Database from 'better-sqlite3'
import type { CustomerLink, CustomerRecord, Store } from '../store.js'
import type { SenderKeys } from './senders.js'
import { uploaderOf } from '../../attachments/attachment-ref.js'
import type { Indexed, UnindexedRows } from './unindexed-rows.js'

// Customers a brand verified (migration 15), each stood for by one visitor on every device. When a
// known customer identifies from another visitor, that visitor's conversations become the
// customer's visitor's: everything that names the visitor moves in one transaction — the
// conversation headers, the sender of the visitor's messages (and so their clientMsgId dedupe
// entries, which are keyed by sender), their read positions (participants rows) and the files they
// uploaded. Survey answers and search rows name the conversation, not the visitor, and so follow it.
// The old visitor's row (visits, context) is left as it was: it is still that browser's history.

interface CustomerRow { brand_id: string; customer_id: string; visitor_id: string; name: string | null; email: string | null; verified_at: number }

type CustomerMethods = Pick<Store, 'linkCustomer' | 'getCustomer' | 'getCustomerByVisitor'>

function toCustomer(r: CustomerRow): CustomerRecord {
  return { brandId: r.brand_id, customerId: r.customer_id, visitorId: r.visitor_id, name: r.name, email: r.email, verifiedAt: r.verified_at }
}

/** What the store's in-memory state needs of customers.ts. */
export interface CustomerDeps {
  senders: SenderKeys
  unindexed: UnindexedRows
  /** Drops a conversation from the appender's cache (its visitor changed). */
  forgetConversation(brandId: string, convId: string): void
}

/** The customer methods of the SQLite store. */
export function createCustomers(db: Database.Database, deps: CustomerDeps): CustomerMethods {
  const { senders, unindexed } = deps
  const q = {
    byId: db.prepare<[string, string], CustomerRow>('SELECT * FROM customers WHERE brand_id = ? AND customer_id = ?'),
    byVisitor: db.prepare<[string, string], CustomerRow>('SELECT * FROM customers WHERE brand_id = ? AND visitor_id = ?'),
    insert: db.prepare<[string, string, string, string | null, string | null, number], CustomerRow>(`INSERT INTO customers
      (brand_id, customer_id, visitor_id, name, email, verified_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING *`),
    claims: db.prepare<[string | null, string | null, number, string, string], CustomerRow>(`UPDATE customers
      SET name = ?, email = ?, verified_at = max(verified_at, ?) WHERE brand_id = ? AND customer_id = ? RETURNING *`),
    convs: db.prepare<[string, string], { id: number; conv_id: string }>('SELECT id, conv_id FROM conversations WHERE brand_id = ? AND visitor_id = ?'),
    moveConvs: db.prepare('UPDATE conversations SET visitor_id = ? WHERE brand_id = ? AND visitor_id = ?'),
    moveMessages: db.prepare('UPDATE message_log SET sender = ? WHERE id IN (SELECT id FROM message_by_seq WHERE conv = ?) AND sender = ?'),
    // A clientMsgId the customer's visitor already used elsewhere keeps its first message (ids are
    // random per message, so this is a collision, not a case).
    moveClientIds: db.prepare('UPDATE OR IGNORE message_by_client_id SET sender = ? WHERE sender = ?'),
    moveParticipants: db.prepare('UPDATE OR IGNORE participants SET sender = ? WHERE sender = ?'),
    moveUploads: db.prepare('UPDATE attachments SET uploader = ? WHERE brand_id = ? AND uploader = ?'),
  }

  interface Linked { customer: CustomerRecord; moved: number; indexed: Indexed; convIds: string[] }
  const none: Indexed = []

  const linkTx = senders.transaction((link: CustomerLink): Linked => {
    const { brandId, customerId, visitorId } = link
    const holder = q.byVisitor.get(brandId, visitorId)
    if (holder && holder.customer_id !== customerId) {
      // The visitor stands for another customer: its conversations are that customer's and never
      // move. The relay ends a visitor session at logout, so another customer arrives on a new visitor.
      throw new Error('the visitor stands for another customer')
    }
    const known = q.byId.get(brandId, customerId)
    if (!known) {
      return { customer: toCustomer(q.insert.get(brandId, customerId, visitorId, link.name, link.email, link.at)!), moved: 0, indexed: none, convIds: [] }
    }
    const customer = toCustomer(q.claims.get(link.name, link.email, link.at, brandId, customerId)!)
    if (known.visitor_id === visitorId) return { customer, moved: 0, indexed: none, convIds: [] }
    const convs = q.convs.all(brandId, visitorId)
    if (convs.length === 0) return { customer, moved: 0, indexed: none, convIds: [] }
    // Every waiting message row goes to the on-disk indexes first: the in-memory ones key rows by
    // sender, and the rows below change sender.
    const indexed = unindexed.writeIndex(Infinity)
    q.moveConvs.run(known.visitor_id, brandId, visitorId)
    const from = senders.find(brandId, 'visitor', visitorId)
    if (from !== undefined) {
      const to = senders.ensure(brandId, 'visitor', known.visitor_id)
      for (const c of convs) q.moveMessages.run(to, c.id, from)
      q.moveClientIds.run(to, from)
      q.moveParticipants.run(to, from)
    }
    q.moveUploads.run(uploaderOf({ kind: 'visitor', id: known.visitor_id }), brandId, uploaderOf({ kind: 'visitor', id: visitorId }))
    return { customer, moved: convs.length, indexed, convIds: convs.map((c) => c.conv_id) }
  })

  return {
    async linkCustomer(link) {
      const { customer, moved, indexed, convIds } = linkTx(link)
      unindexed.forget(indexed)
      for (const convId of convIds) deps.forgetConversation(link.brandId, convId)
      return { customer, moved }
    },
    async getCustomer(brandId, customerId) { const r = q.byId.get(brandId, customerId); return r ? toCustomer(r) : null },
    async getCustomerByVisitor(brandId, visitorId) { const r = q.byVisitor.get(brandId, visitorId); return r ? toCustomer(r) : null },
  }
}
