import { Readable } from 'node:stream'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { ExportRequest, VisitorExport, type ExportFormat } from '@parley/sdk/contract'
import type { Deps } from '../../deps.js'
import type { ExportPart, ExportStore } from '../../data-rights/export-walk.js'
import { EXPORT_PAGES, walkVisitorExport } from '../../data-rights/export-walk.js'
import { renderExportJson } from '../../data-rights/export-json.js'
import { renderExportHtml } from '../../data-rights/export-html.js'
import { renderExportText } from '../../data-rights/export-text.js'
import { resolveVisitors, selectorKind } from '../../data-rights/resolve-visitors.js'
import { retryAfter } from './rate-limits.js'

// POST /v1/visitors/export: everything stored about one visitor (data.export: admins, keys with
// data:export), as the versioned JSON document or a page or text for the visitor to read. POST, so
// an e-mail address never sits in a URL or an access log. The answer is streamed straight from the
// store with backpressure (data-rights/export-walk.ts): nothing of it is buffered whole, stored for
// an idempotent replay, or cached (Cache-Control: no-store).

/**
 * Exports one brand may start a minute, whoever asks: each reads every message of a visitor, and a
 * script looping over its customers must not keep the store busy for the brand's live chats.
 */
export const EXPORTS_PER_MINUTE = 20

const RENDERINGS: Record<ExportFormat, { type: string; render: (parts: AsyncIterable<ExportPart>) => AsyncGenerator<string> }> = {
  json: { type: 'application/json; charset=utf-8', render: renderExportJson },
  html: { type: 'text/html; charset=utf-8', render: renderExportHtml },
  text: { type: 'text/plain; charset=utf-8', render: renderExportText },
}

const EXTENSIONS: Record<ExportFormat, string> = { json: 'json', html: 'html', text: 'txt' }

/**
 * How much an export will hold, from the conversation headers alone (read before any of it leaves,
 * so the audit entry is written first): conversations, and messages as the unerased ones count them.
 */
async function measure(store: ExportStore, brandId: string, visitorIds: readonly string[]): Promise<{ conversations: number; messages: number }> {
  let conversations = 0
  let messages = 0
  let after: { createdAt: number; convId: string } | null = null
  for (;;) {
    const page = await store.listVisitorConversations(brandId, visitorIds, after, EXPORT_PAGES.conversations)
    for (const c of page) {
      conversations++
      if (c.erasedAt === null) messages += c.lastSeq
    }
    if (page.length < EXPORT_PAGES.conversations) return { conversations, messages }
    after = { createdAt: page[page.length - 1]!.createdAt, convId: page[page.length - 1]!.convId }
  }
}

/** POST /v1/visitors/export. */
export const visitorExportRoutes: FastifyPluginAsync<{ deps: Pick<Deps, 'store' | 'clock'> }> = async (app, { deps }) => {
  const { store, clock } = deps
  const perBrand = app.createRateLimit({ max: EXPORTS_PER_MINUTE, timeWindow: 60_000, keyGenerator: (req) => `export\n${req.principal?.brandId ?? ''}` })
  const limitPerBrand = async (req: FastifyRequest, reply: FastifyReply) => {
    const r = await perBrand(req)
    if (!r.isAllowed && r.isExceeded) {
      req.log.warn({ brandId: req.principal?.brandId }, 'export rate limit reached')
      throw retryAfter(reply, EXPORTS_PER_MINUTE / 60, r.ttl)
    }
  }

  app.post<{ Body: ExportRequest }>('/v1/visitors/export', {
    schema: {
      summary: "Export everything stored about one visitor (by visitor id, customer id or e-mail): the versioned JSON document, or format html / text to read; streamed",
      body: ExportRequest,
      response: { 200: VisitorExport },
    },
    preHandler: [app.authorize('data.export'), limitPerBrand],
  }, async (req, reply) => {
    const brandId = req.principal!.brandId
    const format = req.body.format ?? 'json'
    const selector = selectorKind(req.body.selector)
    const visitorIds = await resolveVisitors(store, brandId, req.body.selector)
    const size = await measure(store, brandId, visitorIds)
    await app.audit.recordRequest(req, {
      action: 'data.export',
      resource: { type: 'visitor', id: visitorIds.length === 1 ? visitorIds[0]! : null },
      detail: { selector, format, visitors: visitorIds.length, ...size },
    })
    req.log.info({ brandId, selector, format, visitors: visitorIds.length, ...size }, 'visitor data exported')
    const exportedAt = clock.now()
    const { type, render } = RENDERINGS[format]
    const chunks = render(walkVisitorExport(store, { brandId, selector, visitorIds, exportedAt }))
    void reply
      .header('content-type', type)
      .header('content-disposition', `attachment; filename="parley-export-${new Date(exportedAt).toISOString().slice(0, 10)}.${EXTENSIONS[format]}"`)
      .header('cache-control', 'no-store')
      .header('x-content-type-options', 'nosniff')
    // The page runs no script; should escaping ever miss one, the browser still refuses to run it.
    if (format === 'html') void reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox")
    // Readable.from pulls the next chunk only as the socket drains: a slow reader slows the store reads.
    return reply.send(Readable.from(chunks, { objectMode: false }))
  })
}
