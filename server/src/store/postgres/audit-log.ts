import type { AuditAction, AuditEntry } from '@parley/sdk/contract'
import type { AuditRecord, Store } from '../store.js'
import type { PgDb } from './db.js'
import { jsonb } from './rows.js'

// The audit log: appended to, read newest first, and purged past the brand's retention. The serving
// role may only insert and read its rows (migrate.ts APPEND_ONLY_TABLES); purging goes through
// parley_purge_audit (schema/005-access.ts), which deletes the transaction's brand's old entries only.
// Entries are numbered per brand (audit_heads, schema/005-access.ts) in commit order; entryId is the
// number's decimal text.

type AuditMethods = Pick<Store, 'appendAudit' | 'listAudit' | 'purgeAudit' | 'listBrandIds'>

interface AuditRow {
  entry_no: number; at: number; actor_kind: AuditEntry['actor']['kind']; actor_id: string | null; action: AuditAction
  resource_type: string | null; resource_id: string | null; outcome: AuditEntry['outcome']; code: string | null
  address: string | null; detail: AuditEntry['detail']
}

function toEntry(r: AuditRow): AuditEntry {
  return {
    entryId: String(r.entry_no), at: r.at, actor: { kind: r.actor_kind, id: r.actor_id }, action: r.action,
    resource: r.resource_type === null ? null : { type: r.resource_type, id: r.resource_id }, outcome: r.outcome,
    code: r.code, address: r.address, detail: r.detail,
  }
}

/** An entry id as this store makes them (a positive integer's digits); anything else names no entry. */
const ENTRY_ID = /^[1-9][0-9]{0,17}$/

/** The entries of a call, by brand in id order (the order heads are locked in), each brand's in the order given. */
function byBrand(entries: readonly AuditRecord[]): [string, AuditRecord[]][] {
  const out = new Map<string, AuditRecord[]>()
  for (const e of entries) {
    const list = out.get(e.brandId)
    if (list) list.push(e)
    else out.set(e.brandId, [e])
  }
  return [...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
}

/** The Store's audit log methods over `db`. */
export function createAuditLog(db: PgDb): AuditMethods {
  return {
    async appendAudit(entries) {
      if (entries.length === 0) return
      // One transaction for the call; each brand's entries under that brand (row-level security's
      // WITH CHECK), numbered after its head, whose row lock holds until the commit.
      await db.tx(null, async (tx) => {
        for (const [brandId, list] of byBrand(entries)) {
          await tx.setBrand(brandId)
          const head = (await tx.one<{ last_no: number }>(`INSERT INTO audit_heads (brand_id, last_no) VALUES ($1, $2)
            ON CONFLICT (brand_id) DO UPDATE SET last_no = audit_heads.last_no + excluded.last_no RETURNING last_no`, [brandId, list.length]))!
          const rows = list.map((e) => ({
            at: e.at, actor_kind: e.actor.kind, actor_id: e.actor.id, action: e.action, resource_type: e.resource?.type ?? null,
            resource_id: e.resource?.id ?? null, outcome: e.outcome, code: e.code, address: e.address, detail: e.detail,
          }))
          await tx.run(`INSERT INTO audit_log (brand_id, entry_no, at, actor_kind, actor_id, action, resource_type, resource_id, outcome, code, address, detail)
            SELECT $1, $3::bigint + x.n, (e->>'at')::bigint, e->>'actor_kind', e->>'actor_id', e->>'action', e->>'resource_type', e->>'resource_id',
              e->>'outcome', e->>'code', e->>'address', e->'detail'
            FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS x (e, n)`, [brandId, jsonb(rows), head.last_no - list.length])
        }
      })
    },
    async listAudit(brandId, q) {
      if (q.before != null && !ENTRY_ID.test(q.before)) return []
      return db.tx(brandId, async (tx) => (await tx.rows<AuditRow>(`SELECT entry_no, at, actor_kind, actor_id, action, resource_type,
          resource_id, outcome, code, address, detail
        FROM audit_log WHERE brand_id = $1
          AND ($2::text IS NULL OR actor_kind = $2) AND ($3::text IS NULL OR actor_id = $3) AND ($4::text IS NULL OR action = $4)
          AND ($5::bigint IS NULL OR at >= $5) AND ($6::bigint IS NULL OR at < $6) AND ($7::bigint IS NULL OR entry_no < $7)
        ORDER BY entry_no DESC LIMIT $8`, [brandId, q.actorKind ?? null, q.actorId ?? null, q.action ?? null, q.from ?? null, q.to ?? null,
        q.before ?? null, Math.max(0, q.limit)])).map(toEntry))
    },
    async purgeAudit(brandId, before, limit) {
      return db.tx(brandId, async (tx) => (await tx.one<{ n: number }>('SELECT parley_purge_audit($1, $2) AS n', [before, limit]))?.n ?? 0)
    },
    async listBrandIds(after, limit) {
      return db.tx(null, async (tx) => (await tx.rows<{ b: string }>('SELECT b FROM parley_brand_ids($1, $2) AS b', [after, limit])).map((r) => r.b))
    },
  }
}
