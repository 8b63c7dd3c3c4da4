import type { FastifyPluginAsync } from 'fastify'
import { ConsentChange, ConsentResult } from '@parley/sdk/contract'
import type { Deps } from '../../deps.js'
import { resolveVisitors, selectorKind } from '../../data-rights/resolve-visitors.js'
import { ledgerDenial } from '../../data-rights/consented-context.js'

// POST /v1/visitors/consent: the brand's own consent manager records a visitor's choice about
// behavioural tracking on their behalf, as the widget's Parley('consent', …) does. A withdrawal
// deletes the behavioural values stored on the visitor and every conversation of theirs (closed
// ones too) and stops visit counting (store.recordConsent); the agents of their open conversations
// see the context without them at once. Action data.erase: it deletes data.

/** Open conversations of one visitor read to tell their agents; a visitor has a handful. */
const OPEN_SCAN = 50

/** POST /v1/visitors/consent. */
export const visitorConsentRoutes: FastifyPluginAsync<{ deps: Deps }> = async (app, { deps }) => {
  const { store, bus, clock } = deps

  app.post<{ Body: ConsentChange }>('/v1/visitors/consent', {
    schema: {
      summary: "Record a visitor's consent to behavioural tracking; denied deletes the behavioural values stored for them",
      body: ConsentChange, response: { 200: ConsentResult },
    },
    preHandler: app.authorize('data.erase'),
  }, async (req) => {
    const brandId = req.principal!.brandId
    const { selector, state } = req.body
    const visitorIds = await resolveVisitors(store, brandId, selector)
    const at = clock.now()
    // In the ledger before the store: a restore of an older backup deletes the values again.
    if (state === 'denied') await ledgerDenial(deps.erasureLedger, brandId, visitorIds, at)
    let conversations = 0
    for (const visitorId of visitorIds) {
      conversations += (await store.recordConsent(brandId, visitorId, { state, source: 'api', at })).conversations
      if (state === 'denied') await showStripped(brandId, visitorId)
    }
    await app.audit.recordRequest(req, {
      action: 'data.consent', resource: { type: 'visitor', id: visitorIds.length === 1 ? visitorIds[0]! : null },
      detail: { selector: selectorKind(selector), state, visitors: visitorIds.length, conversations },
    })
    req.log.info({ brandId, selector: selectorKind(selector), state, visitors: visitorIds.length, conversations }, 'visitor consent recorded')
    return { visitorIds, conversations }
  })

  /** The agents of the visitor's open conversations see the context as the store now keeps it. */
  async function showStripped(brandId: string, visitorId: string): Promise<void> {
    const convs = await store.listParticipantConversations(brandId, { kind: 'visitor', id: visitorId }, OPEN_SCAN)
    for (const c of convs) {
      if (c.status !== 'open' || !c.context) continue
      bus.publish({ brandId, audience: { kind: 'conversation', convId: c.convId, visitorId }, frame: { type: 'context.updated', convId: c.convId, context: c.context } })
    }
  }
}
