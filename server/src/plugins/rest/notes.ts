import type { FastifyPluginAsync } from 'fastify'
import { ConvParams, NoteList } from '@parley/sdk/contract'
import type { Deps } from '../../deps.js'
import { accessibleConversation } from './conversation-access.js'
import { requirePrincipalFor } from './principal-for-action.js'
import { recordTranscriptRead } from '../../audit/transcript-audit.js'

// A conversation's internal notes, for whoever may read the conversation (conversation.read: a key
// with transcripts:read, supervisors, agents who take part in it): the brand's transcript export
// reads them beside the messages. A visitor's token is refused; notes are never in anything the
// visitor receives.

/** GET /v1/conversations/:convId/notes: a conversation's internal notes. */
export const noteRoutes: FastifyPluginAsync<{ deps: Deps }> = async (app, { deps }) => {
  app.get<{ Params: ConvParams }>('/v1/conversations/:convId/notes', {
    schema: { summary: "A conversation's internal notes (agents only, never the visitor's), oldest first", params: ConvParams, response: { 200: NoteList } },
    preHandler: requirePrincipalFor(app, 'conversation.read', 'brand', 'agent'),
  }, async (req): Promise<NoteList> => {
    const conv = await accessibleConversation(app, deps.store, req, req.params.convId)
    const notes = await deps.store.listNotes(conv.brandId, conv.convId)
    await recordTranscriptRead(app.audit, req, conv.convId, 'notes')
    return { notes }
  })
}
