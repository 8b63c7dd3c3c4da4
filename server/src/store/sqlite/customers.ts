import type Database from 'better-sqlite3'
import type { CustomerLink, CustomerRecord, Store } from '../store.js'
import type { SenderKeys } from './senders.js'
import { uploaderOf } from '../../attachments/attachment-ref.js'
import type { Indexed, UnindexedRows } from './unindexed-rows.js'

// Customers a brand verified (migration 15), each stood for by one visitor on every device (a new
// customer gets a fresh visitor, never the browser's: that browser's earlier chats are not theirs).
// When a customer identifies, the conversations the relay names (the visit's open ones) become
// the customer's visitor's: everything of them that names the visitor moves in one transaction —
// the conversation header, the sender of the visitor's messages (and so their clientMsgId dedupe
// entries, which are keyed by sender), their read positions (participants rows) and the files
// uploaded to them. Survey answers and search rows name the conversation, not the visitor, and so
// follow it. Nothing moves out of a visitor that stands for another customer. The old visitor's
// row (visits, context) and its other conversations are left as they were: that browser's history.

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
    conv: db.prepare<[string, string, string], { id: number }>('SELECT id FROM conversations WHERE brand_id = ? AND visitor_id = ? AND conv_id = ?'),
    moveConv: db.prepare('UPDATE conversations SET visitor_id = ? WHERE id = ?'),
    moveMessages: db.prepare('UPDATE message_log SET sender = ? WHERE id IN (SELECT id FROM message_by_seq WHERE conv = ?) AND sender = ?'),
    // A clientMsgId the customer's visitor already used elsewhere keeps its first message (ids are
    // random per message, so this is a collision, not a case).
    moveClientIds: db.prepare('UPDATE OR IGNORE message_by_client_id SET sender = ? WHERE sender = ? AND id IN (SELECT id FROM message_by_seq WHERE conv = ?)'),
    moveParticipants: db.prepare('UPDATE OR IGNORE participants SET sender = ? WHERE sender = ? AND conv = ?'),
    moveUploads: db.prepare('UPDATE attachments SET uploader = ? WHERE brand_id = ? AND uploader = ? AND conv_id = ?'),
    // Files uploaded but not yet sent belong to the page the visit is on.
    moveUnsent: db.prepare('UPDATE attachments SET uploader = ? WHERE brand_id = ? AND uploader = ? AND conv_id IS NULL'),
  }

  interface Linked { customer: CustomerRecord; moved: number; indexed: Indexed; convIds: string[] }
  const none: Indexed = []

  const linkTx = senders.transaction((link: CustomerLink): Linked => {
    const { brandId, customerId, visitorId } = link
    const holder = q.byVisitor.get(brandId, visitorId)
    const known = q.byId.get(brandId, customerId)
    const customer = toCustomer(known
      ? q.claims.get(link.name, link.email, link.at, brandId, customerId)!
      : q.insert.get(brandId, customerId, link.newVisitorId, link.name, link.email, link.at)!)
    // The visitor stands for another customer (a switch): its conversations are that customer's and never move.
    if ((holder && holder.customer_id !== customerId) || customer.visitorId === visitorId) return { customer, moved: 0, indexed: none, convIds: [] }
    const convs = link.convIds.flatMap((convId) => {
      const row = q.conv.get(brandId, visitorId, convId)
      return row ? [{ id: row.id, convId }] : []
    })
    const fromUploader = uploaderOf({ kind: 'visitor', id: visitorId })
    const toUploader = uploaderOf({ kind: 'visitor', id: customer.visitorId })
    q.moveUnsent.run(toUploader, brandId, fromUploader)
    if (convs.length === 0) return { customer, moved: 0, indexed: none, convIds: [] }
    // Every waiting message row goes to the on-disk indexes first: the in-memory ones key rows by
    // sender, and the rows below change sender.
    const indexed = unindexed.writeIndex(Infinity)
    const from = senders.find(brandId, 'visitor', visitorId)
    const to = from !== undefined ? senders.ensure(brandId, 'visitor', customer.visitorId) : undefined
    for (const c of convs) {
      q.moveConv.run(customer.visitorId, c.id)
      if (from !== undefined && to !== undefined) {
        q.moveMessages.run(to, c.id, from)
        q.moveClientIds.run(to, from, c.id)
        q.moveParticipants.run(to, from, c.id)
      }
      q.moveUploads.run(toUploader, brandId, fromUploader, c.convId)
    }
    return { customer, moved: convs.length, indexed, convIds: convs.map((c) => c.convId) }
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
