import type { CustomerRecord, Store } from '../store.js'
import type { PgDb, PgTx } from './db.js'

// Customers a brand verified, each stood for by one visitor on every device (a new customer gets a
// fresh visitor, never the browser's: that browser's earlier chats are not theirs). When a customer
// identifies, the conversations the relay names (the visit's open ones) move to the customer's
// visitor in the same transaction with everything of them that names the old visitor: the sender
// of the messages it sent, its place (and read position) among the participants, and the files
// uploaded to them. Survey answers and search words name the conversation, not the visitor, and so
// follow it. Nothing moves out of a visitor that stands for another customer (a switch).

type CustomerMethods = Pick<Store, 'linkCustomer' | 'getCustomer' | 'getCustomerByVisitor'>

interface CustomerRow { brand_id: string; customer_id: string; visitor_id: string; name: string | null; email: string | null; verified_at: number }

const CUSTOMER_COLUMNS = 'brand_id, customer_id, visitor_id, name, email, verified_at'

function toCustomer(r: CustomerRow): CustomerRecord {
  return { brandId: r.brand_id, customerId: r.customer_id, visitorId: r.visitor_id, name: r.name, email: r.email, verifiedAt: r.verified_at }
}

/** Moves conversations `named` of visitor `from`, and what in them names it, to visitor `to`; how many moved. */
async function moveConversations(tx: PgTx, brandId: string, from: string, to: string, named: readonly string[]): Promise<number> {
  // The conversations' row locks first, in the order appends take them (append-facts.ts): an append
  // to one of them either committed before, and its message moves below, or waits and then finds
  // the new visitor.
  const convs = await tx.rows<{ conv_id: string }>(`SELECT conv_id FROM conversations WHERE brand_id = $1 AND visitor_id = $2 AND conv_id = ANY($3)
    ORDER BY conv_id FOR UPDATE`, [brandId, from, named])
  // Files uploaded but not yet sent belong to the page the visit is on.
  await tx.run('UPDATE attachments SET uploader = $3 WHERE brand_id = $1 AND uploader = $2 AND conv_id IS NULL', [brandId, `visitor:${from}`, `visitor:${to}`])
  if (convs.length === 0) return 0
  const convIds = convs.map((c) => c.conv_id)
  // A clientMsgId the customer's visitor already used keeps naming its first message (a resend of it
  // is that one); the moved message with the same id is renamed out of the way, as unique per sender.
  await tx.run(`UPDATE messages m SET client_msg_id = m.client_msg_id || '#moved:' || m.conv_id || ':' || m.seq
    WHERE m.brand_id = $1 AND m.conv_id = ANY($2) AND m.sender_kind = 'visitor' AND m.sender_id = $3
      AND EXISTS (SELECT 1 FROM messages t WHERE t.brand_id = $1 AND t.sender_kind = 'visitor' AND t.sender_id = $4 AND t.client_msg_id = m.client_msg_id)`,
  [brandId, convIds, from, to])
  await tx.run(`UPDATE messages SET sender_id = $4 WHERE brand_id = $1 AND conv_id = ANY($2) AND sender_kind = 'visitor' AND sender_id = $3`,
    [brandId, convIds, from, to])
  await tx.run(`UPDATE participants p SET participant_id = $4 WHERE p.brand_id = $1 AND p.conv_id = ANY($2) AND p.kind = 'visitor' AND p.participant_id = $3
    AND NOT EXISTS (SELECT 1 FROM participants t WHERE t.brand_id = $1 AND t.conv_id = p.conv_id AND t.kind = 'visitor' AND t.participant_id = $4)`,
  [brandId, convIds, from, to])
  await tx.run('UPDATE attachments SET uploader = $4 WHERE brand_id = $1 AND conv_id = ANY($2) AND uploader = $3', [brandId, convIds, `visitor:${from}`, `visitor:${to}`])
  await tx.run('UPDATE conversations SET visitor_id = $3 WHERE brand_id = $1 AND conv_id = ANY($2)', [brandId, convIds, to])
  return convIds.length
}

/** The Store's customer methods over `db`. */
export function createCustomers(db: PgDb): CustomerMethods {
  const customerWhere = (brandId: string, where: string, param: string) => db.tx(brandId, async (tx) => {
    const r = await tx.one<CustomerRow>(`SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE brand_id = $1 AND ${where}`, [brandId, param])
    return r ? toCustomer(r) : null
  })
  return {
    async linkCustomer(link) {
      return db.tx(link.brandId, async (tx) => {
        const holder = await tx.one<{ customer_id: string }>('SELECT customer_id FROM customers WHERE brand_id = $1 AND visitor_id = $2',
          [link.brandId, link.visitorId])
        // A new customer gets the fresh visitor id. Two first identifications of one customer at
        // once insert one row, and its row lock orders their moves.
        await tx.run(`INSERT INTO customers (${CUSTOMER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
          [link.brandId, link.customerId, link.newVisitorId, link.name, link.email, link.at])
        const row = (await tx.one<CustomerRow>(`SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE brand_id = $1 AND customer_id = $2 FOR UPDATE`,
          [link.brandId, link.customerId]))!
        // A visitor standing for another customer is a switch: that customer's conversations stay.
        const switched = holder !== null && holder.customer_id !== link.customerId
        const moved = switched || row.visitor_id === link.visitorId ? 0 : await moveConversations(tx, link.brandId, link.visitorId, row.visitor_id, link.convIds)
        const updated = (await tx.one<CustomerRow>(`UPDATE customers SET name = $3, email = $4, verified_at = greatest(verified_at, $5)
          WHERE brand_id = $1 AND customer_id = $2 RETURNING ${CUSTOMER_COLUMNS}`, [link.brandId, link.customerId, link.name, link.email, link.at]))!
        return { customer: toCustomer(updated), moved }
      })
    },
    async getCustomer(brandId, customerId) { return customerWhere(brandId, 'customer_id = $2', customerId) },
    async getCustomerByVisitor(brandId, visitorId) { return customerWhere(brandId, 'visitor_id = $2', visitorId) },
  }
}
