import type Database from 'better-sqlite3'
import type { AuditAction, AuditEntry } from '@parley/sdk/contract'
import type { AuditListQuery, AuditRecord, Store } from '../store.js'

// The audit log in SQLite (migration 15). Entries are numbered per brand from brands.audit_last, so
// numbers keep increasing after a purge; entryId is the number in decimal. A trigger refuses every
// UPDATE of audit_log; only purgeAudit deletes.

interface AuditRow {
  brand_id: string; entry_no: number; at: number; actor_kind: AuditEntry['actor']['kind']; actor_id: string | null
  action: AuditAction; resource_type: string | null; resource_id: string | null; outcome: AuditEntry['outcome']
  code: string | null; address: string | null; detail: string
}

type AuditMethods = Pick<Store, 'appendAudit' | 'listAudit' | 'purgeAudit' | 'listBrandIds'>

function toEntry(r: AuditRow): AuditEntry {
  return {
    entryId: String(r.entry_no), at: r.at, actor: { kind: r.actor_kind, id: r.actor_id }, action: r.action,
    resource: r.resource_type === null ? null : { type: r.resource_type, id: r.resource_id },
    outcome: r.outcome, code: r.code, address: r.address, detail: JSON.parse(r.detail) as AuditEntry['detail'],
  }
}

/** Each filter of AuditListQuery as SQL, in a fixed order (the statement for each combination is prepared once). */
const FILTERS = [
  ['actorKind', 'actor_kind = @actorKind'],
  ['actorId', 'actor_id = @actorId'],
  ['action', 'action = @action'],
  ['from', 'at >= @from'],
  ['to', 'at < @to'],
  ['before', 'entry_no < @before'],
] as const

/** The audit methods of the SQLite store, and listBrandIds (the purge sweep walks brands with it). */
export function createAudit(db: Database.Database): AuditMethods {
  const q = {
    next: db.prepare<[string], { n: number }>('UPDATE brands SET audit_last = audit_last + 1 WHERE brand_id = ? RETURNING audit_last AS n'),
    insert: db.prepare(`INSERT INTO audit_log (brand_id, entry_no, at, actor_kind, actor_id, action, resource_type, resource_id, outcome, code, address, detail)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    purge: db.prepare<[{ brand: string; before: number; limit: number }]>(`DELETE FROM audit_log WHERE brand_id = @brand AND entry_no IN
      (SELECT entry_no FROM audit_log WHERE brand_id = @brand AND at < @before ORDER BY entry_no LIMIT @limit)`),
    brandIds: db.prepare<[string, number], { brand_id: string }>('SELECT brand_id FROM brands WHERE brand_id > ? ORDER BY brand_id LIMIT ?'),
  }
  const lists = new Map<string, Database.Statement<Record<string, unknown>, AuditRow>>()
  function listStatement(used: readonly (typeof FILTERS)[number][]): Database.Statement<Record<string, unknown>, AuditRow> {
    const key = used.map(([name]) => name).join(',')
    let s = lists.get(key)
    if (!s) {
      const where = ['brand_id = @brandId', ...used.map(([, sql]) => sql)].join(' AND ')
      s = db.prepare<Record<string, unknown>, AuditRow>(`SELECT * FROM audit_log WHERE ${where} ORDER BY entry_no DESC LIMIT @limit`)
      lists.set(key, s)
    }
    return s
  }

  const appendTx = db.transaction((entries: readonly AuditRecord[]) => {
    for (const e of entries) {
      // No such brand: there is no log to append to (a refused sign-in may name any brand id).
      const n = q.next.get(e.brandId)?.n
      if (n === undefined) continue
      q.insert.run(e.brandId, n, e.at, e.actor.kind, e.actor.id, e.action, e.resource?.type ?? null, e.resource?.id ?? null,
        e.outcome, e.code, e.address, JSON.stringify(e.detail))
    }
  })

  return {
    async appendAudit(entries) { if (entries.length > 0) appendTx.immediate(entries) },
    async listAudit(brandId, query: AuditListQuery) {
      let before: number | undefined
      if (query.before !== undefined && query.before !== null) {
        // A cursor this store never issued points at nothing.
        if (!/^[1-9][0-9]{0,15}$/.test(query.before)) return []
        before = Number(query.before)
      }
      const values: Record<string, unknown> = { ...query, before, brandId }
      const used = FILTERS.filter(([name]) => values[name] !== undefined)
      const params: Record<string, unknown> = { brandId, limit: query.limit }
      for (const [name] of used) params[name] = values[name]
      return listStatement(used).all(params).map(toEntry)
    },
    async purgeAudit(brandId, before, limit) { return q.purge.run({ brand: brandId, before, limit }).changes },
    async listBrandIds(after, limit) { return q.brandIds.all(after ?? '', limit).map((r) => r.brand_id) },
  }
}
