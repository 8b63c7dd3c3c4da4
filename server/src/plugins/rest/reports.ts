import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { Report, ReportQuery } from '@parley/sdk/contract'
import type { Deps } from '../../deps.js'
import { httpError } from '../../errors.js'
import { reportPeriod } from '../../reports/report-period.js'
import { retryAfter } from './rate-limits.js'

// GET /v1/reports: the brand's aggregate figures (chats, CSAT, NPS, response rate, first response)
// for a period of UTC days (reports.read: a key with reports:read, supervisors and admins).
// Aggregates only: no row names a visitor or quotes an answer.

/**
 * Reports one brand may read a minute, whoever asks. A year's report reads every conversation of
 * the year; a console left refreshing, or a script in a loop, must not keep the store busy with them.
 */
export const REPORTS_PER_MINUTE = 30

/** GET /v1/reports. */
export const reportRoutes: FastifyPluginAsync<{ deps: Deps }> = async (app, { deps }) => {
  const perBrand = app.createRateLimit({
    max: REPORTS_PER_MINUTE,
    timeWindow: 60_000,
    keyGenerator: (req) => `reports\n${req.principal?.brandId ?? ''}`,
  })
  const limitPerBrand = async (req: FastifyRequest, reply: FastifyReply) => {
    const r = await perBrand(req)
    if (!r.isAllowed && r.isExceeded) {
      req.log.warn({ brandId: req.principal?.brandId }, 'report rate limit reached')
      throw retryAfter(reply, REPORTS_PER_MINUTE / 60, r.ttl)
    }
  }

  app.get<{ Querystring: ReportQuery }>('/v1/reports', {
    schema: {
      summary: 'Aggregate figures of the chats opened in a period of UTC days (at most 366), by day, agent or topic',
      querystring: ReportQuery, response: { 200: Report },
    },
    preHandler: [app.authorize('reports.read'), limitPerBrand],
  }, async (req): Promise<Report> => {
    const brandId = req.principal!.brandId
    const period = reportPeriod(req.query)
    if ('problem' in period) throw httpError('PARLEY_ERR_REPORT_RANGE', period.problem)
    const report = await deps.store.readReport(brandId, req.query)
    req.log.info({ brandId, days: period.days.length, groupBy: report.groupBy, rows: report.rows.length }, 'report read')
    return report
  })
}
