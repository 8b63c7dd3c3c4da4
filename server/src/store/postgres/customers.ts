import type { CustomerRecord, Store } from '../store.js'
import type { PgDb, PgTx } from './db.js'

// Customers a brand verified, each stood for by one visitor on every device. When a known customer
// identifies from another (anonymous) visitor, everything that names that visitor moves to the
// customer's visitor in the same transaction: its conversations, the sender of the messages it
// sent, its place (and read position) among each conversation's participants, and its uploads. Survey
// answers belong to their conversation and move with it.

type CustomerMethods = Pick<Store, 'linkCustomer' | 'getCustomer' | 'getCustomerByVisitor'>

interface CustomerRow { brand_id: string; customer_id: string; visitor_id: string; name: string | null; email: string | null; verified_at: number }

const CUSTOMER_COLUMNS = 'brand_id, customer_id, visitor_id, name, email, verified_at'

function toCustomer(r: CustomerRow): CustomerRecord {
  return { brandId: r.brand_id, customerId: r.customer_id, visitorId: r.visitor_id, name: r.name, email: r.email, verifiedAt: r.verified_at }
}

/** Moves what names visitor `from` to visitor `to` in the brand the transaction names; the conversations moved. */
async function moveVisitor(tx: PgTx, brandId: string, from: string, to: string): Promise<number> {
  // Conversations last: the statements before find what to move by the conversation's visitor.
  await tx.run(`UPDATE messages m SET sender_id = $3 FROM conversations c
    WHERE c.brand_id = $1 AND c.visitor_id = $2 AND m.brand_id = $1 AND m.conv_id = c.conv_id
      AND m.sender_kind = 'visitor' AND m.sender_id = $2`, [brandId, from, to])
  await tx.run(`UPDATE participants SET participant_id = $3 WHERE brand_id = $1 AND kind = 'visitor' AND participant_id = $2`, [brandId, from, to])
  await tx.run('UPDATE attachments SET uploader = $3 WHERE brand_id = $1 AND uploader = $2', [brandId, `visitor:${from}`, `visitor:${to}`])
  return tx.run('UPDATE conversations SET visitor_id = $3 WHERE brand_id = $1 AND visitor_id = $2', [brandId, from, to])
}

/** The Store's customer methods over `db`. */
export function createCustomers(db: PgDb): CustomerMethods {
  const customerWhere = (brandId: string, where: string, param: string) => db.tx(brandId, async (tx) => {
    const r = await tx.one<CustomerRow>(`SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE brand_id = $1 AND ${where}
      ORDER BY verified_at DESC LIMIT 1`, [brandId, param])
    return r ? toCustomer(r) : null
  })
  return {
    async linkCustomer(link) {
      return db.tx(link.brandId, async (tx) => {
        // A new customer is stood for by the visitor who identified; two first identifications at
        // once insert one row, and the row lock orders their moves.
        await tx.run(`INSERT INTO customers (${CUSTOMER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
          [link.brandId, link.customerId, link.visitorId, link.name, link.email, link.at])
        const row = (await tx.one<CustomerRow>(`SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE brand_id = $1 AND customer_id = $2 FOR UPDATE`,
          [link.brandId, link.customerId]))!
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
