import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import { ConvParams, LegalHold, LegalHoldState } from '@parley/sdk/contract'
import type { Deps } from '../../deps.js'
import type { LegalHoldRecord } from '../../store/store.js'
import { actorOf } from '../../audit/audit-log.js'
import { httpError } from '../../errors.js'

// PUT/DELETE /v1/conversations/:convId/hold: a legal hold exempts a conversation from retention
// purges and erasure while it stands. Setting and lifting one is as strong as erasing (data.erase:
// admins, keys with data:erase), since a hold decides what an erasure leaves. The audit entry says
// which conversation and whether the hold was set or lifted; the reason is the brand's own words
// about a case and stays in the store, out of the log.

/** Setting and lifting legal holds. */
export const legalHoldRoutes: FastifyPluginAsync<{ deps: Deps }> = async (app, { deps }) => {
  const { store, clock } = deps

  async function apply(req: FastifyRequest<{ Params: ConvParams }>, hold: LegalHoldRecord | null): Promise<LegalHoldState> {
    const { brandId } = req.principal!
    const conv = await store.setLegalHold(brandId, req.params.convId, hold)
    if (!conv) throw httpError('PARLEY_ERR_CONV_NOT_FOUND', req.params.convId)
    await app.audit.recordRequest(req, {
      action: 'conversation.hold', resource: { type: 'conversation', id: conv.convId }, detail: { how: hold ? 'set' : 'lift' },
    })
    req.log.info({ brandId, convId: conv.convId, held: hold !== null }, hold ? 'legal hold set' : 'legal hold lifted')
    return { convId: conv.convId, hold: conv.legalHold }
  }

  app.put<{ Params: ConvParams; Body: LegalHold }>('/v1/conversations/:convId/hold', {
    schema: {
      summary: 'Put a conversation under a legal hold: retention purges and erasures leave it whole until the hold is lifted (a new reason replaces the old)',
      params: ConvParams, body: LegalHold, response: { 200: LegalHoldState },
    },
    preHandler: app.authorize('data.erase'),
  }, async (req) => {
    const actor = actorOf(req.principal!)
    if (req.body.reason.trim() === '') throw httpError('PARLEY_ERR_REQUEST_INVALID', 'body/reason must not be blank')
    return apply(req, { reason: req.body.reason.trim(), at: clock.now(), by: `${actor.kind}:${actor.id}` })
  })

  app.delete<{ Params: ConvParams }>('/v1/conversations/:convId/hold', {
    schema: { summary: "Lift a conversation's legal hold (it may then be purged or erased)", params: ConvParams, response: { 200: LegalHoldState } },
    preHandler: app.authorize('data.erase'),
  }, async (req) => apply(req, null))
}
