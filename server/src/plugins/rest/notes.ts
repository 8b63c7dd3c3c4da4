import type { FastifyPluginAsync } from 'fastify'
import { ConvParams, NoteList } from '@parley/sdk/contract'
import type { Deps } from '../../deps.js'
import { httpError } from '../../errors.js'
import { recordTranscriptRead } from '../../audit/transcript-audit.js'

// A conversation's internal notes, for the brand (its API key) and its agents: the brand's
// transcript export reads them beside the messages. A visitor's token is refused; notes are never
// in anything the visitor receives.

/** GET /v1/conversations/:convId/notes: a conversation's internal notes. */
export const noteRoutes: FastifyPluginAsync<{ deps: Deps }> = async (app, { deps }) => {
  app.get<{ Params: ConvParams }>('/v1/conversations/:convId/notes', {
    schema: { summary: "A conversation's internal notes (agents only, never the visitor's), oldest first", params: ConvParams, response: { 200: NoteList } },
    preHandler: app.requirePrincipal('brand', 'agent'),
  }, async (req): Promise<NoteList> => {
    const brandId = req.principal!.brandId
    const { convId } = req.params
    // Another brand's conversation looks like none at all.
    if (!(await deps.store.getConversation(brandId, convId))) throw httpError('PARLEY_ERR_CONV_NOT_FOUND', convId)
    const notes = await deps.store.listNotes(brandId, convId)
    await recordTranscriptRead(app.audit, req, convId, 'notes')
    return { notes }
  })
}
