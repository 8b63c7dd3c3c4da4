import type { CustomerRecord, Store } from '../store.js'
import type { PgDb, PgTx } from './db.js'

// Customers a brand verified, each stood for by one visitor on every device. When a known customer
// identifies from another (anonymous) visitor, everything that names that visitor moves to the
// customer's visitor in the same transaction: its conversations, the sender of the messages it
// sent, its place (and read position) among each conversation's participants, and its uploads. Survey
// answers and search words name the conversation, not the visitor, and so follow it. A visitor that
// stands for one customer is never given to another (linkCustomer throws, moving nothing).

type CustomerMethods = Pick<Store, 'linkCustomer' | 'getCustomer' | 'getCustomerByVisitor'>

interface CustomerRow { brand_id: string; customer_id: string; visitor_id: string; name: string | null; email: string | null; verified_at: number }

const CUSTOMER_COLUMNS = 'brand_id, customer_id, visitor_id, name, email, verified_at'

function toCustomer(r: CustomerRow): CustomerRecord {
  return { brandId: r.brand_id, customerId: r.customer_id, visitorId: r.visitor_id, name: r.name, email: r.email, verifiedAt: r.verified_at }
}

/** Moves what names visitor `from` to visitor `to` in the brand the transaction names; the conversations moved. */
async function moveVisitor(tx: PgTx, brandId: string, from: string, to: string): Promise<number> {
  // The conversations' row locks first, in the order appends take them (append-facts.ts): an append
  // to one of them either committed before, and its message moves below, or waits and then finds
  // the new visitor.
  const convs = await tx.rows<{ conv_id: string }>('SELECT conv_id FROM conversations WHERE brand_id = $1 AND visitor_id = $2 ORDER BY conv_id FOR UPDATE',
    [brandId, from])
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
  await tx.run(`UPDATE participants p SET participant_id = $3 WHERE p.brand_id = $1 AND p.kind = 'visitor' AND p.participant_id = $2
    AND NOT EXISTS (SELECT 1 FROM participants t WHERE t.brand_id = $1 AND t.conv_id = p.conv_id AND t.kind = 'visitor' AND t.participant_id = $3)`,
  [brandId, from, to])
  await tx.run('UPDATE attachments SET uploader = $3 WHERE brand_id = $1 AND uploader = $2', [brandId, `visitor:${from}`, `visitor:${to}`])
  await tx.run('UPDATE conversations SET visitor_id = $3 WHERE brand_id = $1 AND conv_id = ANY($2)', [brandId, convIds, to])
  return convIds.length
}

/** Why linkCustomer refuses: the visitor stands for another customer, whose history never moves. */
const VISITOR_TAKEN = 'the visitor stands for another customer'

/** The Store's customer methods over `db`. */
export function createCustomers(db: PgDb): CustomerMethods {
  const customerWhere = (brandId: string, where: string, param: string) => db.tx(brandId, async (tx) => {
    const r = await tx.one<CustomerRow>(`SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE brand_id = $1 AND ${where}`, [brandId, param])
    return r ? toCustomer(r) : null
  })
  return {
    async linkCustomer(link) {
      return db.tx(link.brandId, async (tx) => {
        const holder = await tx.one<{ customer_id: string }>('SELECT customer_id FROM customers WHERE brand_id = $1 AND visitor_id = $2 FOR UPDATE',
          [link.brandId, link.visitorId])
        if (holder && holder.customer_id !== link.customerId) throw new Error(VISITOR_TAKEN)
        // A new customer is stood for by the visitor who identified. Two first identifications of
        // one customer at once insert one row, and its row lock orders their moves; two customers
        // new at once on one visitor insert one, and the other is refused.
        await tx.run(`INSERT INTO customers (${CUSTOMER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
          [link.brandId, link.customerId, link.visitorId, link.name, link.email, link.at])
        const row = await tx.one<CustomerRow>(`SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE brand_id = $1 AND customer_id = $2 FOR UPDATE`,
          [link.brandId, link.customerId])
        if (!row) throw new Error(VISITOR_TAKEN)
        const moved = row.visitor_id === link.visitorId ? 0 : await moveVisitor(tx, link.brandId, link.visitorId, row.visitor_id)
        const updated = (await tx.one<CustomerRow>(`UPDATE customers SET name = $3, email = $4, verified_at = greatest(verified_at, $5)
          WHERE brand_id = $1 AND customer_id = $2 RETURNING ${CUSTOMER_COLUMNS}`, [link.brandId, link.customerId, link.name, link.email, link.at]))!
        return { customer: toCustomer(updated), moved }
      })
    },
    async getCustomer(brandId, customerId) { return customerWhere(brandId, 'customer_id = $2', customerId) },
    async getCustomerByVisitor(brandId, visitorId) { return customerWhere(brandId, 'visitor_id = $2', visitorId) },
  }
}
