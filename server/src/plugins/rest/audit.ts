import type { FastifyPluginAsync } from 'fastify'
import { AuditPage, AuditQuery } from '@parley/sdk/contract'
import type { Deps } from '../../deps.js'
import { httpError } from '../../errors.js'

// GET /v1/audit: the brand's audit log, newest first, filtered by actor, action and time, a page at a
// time (audit.read: admins, and keys with audit:read). The cursor is the last entry's id; the next
// page is what lies before it.

/** What a cursor looks like: an entry id, which both stores number in order within the brand. */
const CURSOR = /^[1-9][0-9]{0,15}$/

/** The page size when the query names none. */
export const DEFAULT_AUDIT_PAGE = 100

/** GET /v1/audit. */
export const auditRoutes: FastifyPluginAsync<{ deps: Pick<Deps, 'store'> }> = async (app, { deps }) => {
  app.get<{ Querystring: AuditQuery }>('/v1/audit', {
    schema: { summary: "Read the brand's audit log, newest first (filter by actor, action, time)", querystring: AuditQuery, response: { 200: AuditPage } },
    preHandler: app.authorize('audit.read'),
  }, async (req): Promise<AuditPage> => {
    const { cursor, limit = DEFAULT_AUDIT_PAGE, from, to, ...who } = req.query
    // A cursor this log never gave would answer an empty page, which reads as "no more entries".
    if (cursor !== undefined && !CURSOR.test(cursor)) throw httpError('PARLEY_ERR_REQUEST_INVALID', 'querystring/cursor is not a cursor of this log (pass back `next`)')
    if (from !== undefined && to !== undefined && from >= to) throw httpError('PARLEY_ERR_REQUEST_INVALID', 'querystring/from must be before to')
    // One more than asked says whether there is a next page without a second read.
    const rows = await deps.store.listAudit(req.principal!.brandId, {
      ...who, ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}), before: cursor ?? null, limit: limit + 1,
    })
    const entries = rows.slice(0, limit)
    return { entries, next: rows.length > limit ? entries[entries.length - 1]!.entryId : null }
  })
}
