import { createHmac } from 'node:crypto'
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import {
  OfflineMessage, OfflineMessageCreated, SiteParams, isBlankText,
  type OfflineContact, type Participant, type Routing, type SurveyResponse, type VisitorContext,
} from '@parley/sdk/contract'
import type { RelayMasker } from '@parley/sdk/masking'
import type { RelayContext } from '../../relay/context.js'
import type { AppendResult } from '../../store/store.js'
import { fieldError, httpError } from '../../errors.js'
import { runPipeline } from '../../relay/pipeline.js'
import { messageFrame } from '../../relay/message-frame.js'
import { openedFrame } from '../../relay/opened-frame.js'
import { releaseOpening, takeOpening, type Opening } from '../../relay/opening-limit.js'
import { maskContext } from '../../masking/context-masking.js'
import { consentedContext } from '../../data-rights/consented-context.js'
import { hasPrivacySignal } from '../../policy/tracking-policy.js'
import { maskContact } from '../../masking/contact-masking.js'
import { siteBrand } from './site-brand.js'
import { acceptSubmission } from '../../surveys/submission.js'
import { erasedVisitorTokenId } from '../../data-rights/erase-visitor.js'

// The offline message form: POST /v1/sites/:siteKey/offline-messages, public like the site config.
// The message becomes the first message of a new conversation with origin `offline` and the
// contact the form left; it goes through the same pipeline as a chat message (cleaned, masked with
// the brand's masker, refused as a chat message would be) and the same group commit, and the
// brand's agents are told as for any new waiting conversation. A visitor token makes it that
// visitor's conversation (it shows in their history); without one it belongs to a new visitor.
//
// With the brand's offline survey (`survey`), the answers take the place of the three fields: the
// field with purpose `email` is the contact kept for the reply, `name` (if any) its name, and
// `message` the first message; the whole answer is stored with the conversation, in the same
// transaction, and its routing set. The answer is checked and masked as every survey answer is
// (acceptSubmission); a refused answer names its field in the error body.
//
// A retry with the same clientMsgId must find the same conversation, even without a token, so the
// conversation id (and the anonymous visitor id) are derived from it with a key only the relay
// knows: the store then sees the same sender resend the same message and answers with the stored one.

/** What the derived ids are made with: the relay's secret, for this job only. */
function idKeyOf(secret: Buffer): Buffer {
  return createHmac('sha256', secret).update('parley offline message ids').digest()
}

function derivedId(key: Buffer, prefix: string, ...parts: string[]): string {
  return `${prefix}${createHmac('sha256', key).update(parts.join('\n')).digest('base64url').slice(0, 24)}`
}

/** POST /v1/sites/:siteKey/offline-messages. */
export const offlineMessageRoutes: FastifyPluginAsync<{ ctx: RelayContext }> = async (app, { ctx }) => {
  const { deps, limits, maskers, pipeline, committer, signer } = ctx
  const idKey = idKeyOf(deps.tokenSecret)

  /** The visitor a bearer token names, for this brand; null without a token. */
  function visitorOf(req: FastifyRequest, brandId: string): string | null {
    const header = req.headers.authorization
    if (header === undefined) return null
    const m = /^Bearer ([\x21-\x7e]{1,4096})$/.exec(header)
    if (!m) throw httpError('PARLEY_ERR_AUTH_TOKEN_INVALID')
    const v = signer.verify(m[1]!)
    if (!v.ok) throw httpError(v.code)
    if (v.claims.kind !== 'visitor') throw httpError('PARLEY_ERR_AUTH_FORBIDDEN', 'leave an offline message (only a visitor token or none)')
    if (v.claims.brand !== brandId) throw httpError('PARLEY_ERR_AUTH_TOKEN_INVALID')
    return v.claims.sub
  }

  /** What the form leaves: the contact, the first message's text, and (with a survey) the answer and its routing. */
  interface FormContent { contact: OfflineContact; text: string; response: SurveyResponse | null; routing: Routing }

  async function formContent(body: OfflineMessage, brandId: string, masker: RelayMasker, now: number): Promise<FormContent> {
    if (!body.survey) {
      // The form as it was before surveys: the schema required all three, and says so the same way.
      for (const field of ['name', 'email', 'message'] as const) {
        if (body[field] === undefined) throw httpError('PARLEY_ERR_REQUEST_INVALID', `body must have required property '${field}' (or answer the offline survey in 'survey')`)
      }
      // Shown to agents beside the message, so masked like it (the e-mail address itself kept).
      return { contact: maskContact(masker, { name: body.name!, email: body.email! }), text: body.message!, response: null, routing: {} }
    }
    for (const field of ['name', 'email', 'message'] as const) {
      if (body[field] !== undefined) throw httpError('PARLEY_ERR_REQUEST_INVALID', `body/${field} is given with body/survey; the survey's answers take its place`)
    }
    const accepted = await acceptSubmission(deps.store, brandId, masker, body.survey, 'offline', now)
    if (!accepted.ok) {
      throw accepted.field === undefined ? httpError(accepted.code, ...accepted.args) : fieldError(accepted.code, accepted.field, ...accepted.args)
    }
    // Masked already (acceptSubmission), the contact's address kept; checkSurveys made the e-mail
    // and message fields required and always shown, so validation guarantees both are answered.
    const { survey, response, routing } = accepted
    const field = survey.fields.find((f) => f.purpose === 'message')
    const message = field ? response.answers[field.id] : undefined
    const contact = accepted.contact ?? { name: '', email: '' }
    return { contact, text: typeof message === 'string' ? message : '', response, routing }
  }

  const append = (req: Parameters<typeof committer.append>[0]) =>
    new Promise<AppendResult>((resolve, reject) => committer.append(req, (r) => (r instanceof Error ? reject(r) : resolve(r))))

  app.post<{ Params: SiteParams; Body: OfflineMessage }>('/v1/sites/:siteKey/offline-messages', {
    schema: {
      summary: 'Leave a message through the offline form (creates an offline conversation)',
      params: SiteParams, body: OfflineMessage, response: { 201: OfflineMessageCreated },
    },
  }, async (req, reply) => {
    const brand = await siteBrand(deps.store, req.params.siteKey, req, reply)
    const brandId = brand.brandId
    const body = req.body
    const tokenVisitor = visitorOf(req, brandId)
    // An erased visitor's id must not come back through the form either (erase-visitor.ts).
    if (tokenVisitor !== null && await deps.store.isTokenIdRevoked(brandId, erasedVisitorTokenId(tokenVisitor), deps.clock.now())) throw httpError('PARLEY_ERR_AUTH_SESSION_REVOKED')
    const visitorId = tokenVisitor ?? derivedId(idKey, 'v_', brandId, body.clientMsgId)
    const convId = derivedId(idKey, 'off_', brandId, visitorId, body.clientMsgId)
    const from: Participant = { kind: 'visitor', id: visitorId }

    const masker = await maskers.get(brandId)
    const hidden = masker.hiddenInId(body.clientMsgId)
    if (hidden !== null) throw httpError('PARLEY_ERR_MESSAGE_REFUSED', `its message id holds a value masking hides (${hidden})`)
    const now = deps.clock.now()
    const form = await formContent(body, brandId, masker, now)
    const outcome = runPipeline(pipeline, { brandId, convId, from, text: form.text, masker, previousTail: '' })
    if (!outcome.ok) throw httpError(outcome.refusal.refused, ...outcome.refusal.args)
    const text = outcome.text
    if (text.length > limits.maxTextLength) throw httpError('PARLEY_ERR_MESSAGE_TOO_LONG', text.length, limits.maxTextLength)
    if (isBlankText(text)) throw httpError('PARLEY_ERR_MESSAGE_EMPTY')
    const given: VisitorContext | null = body.context || body.ruleId ? { ...body.context, ...(body.ruleId ? { ruleId: body.ruleId } : {}) } : null
    // Behavioural values only as the tracking policy allows, for this request's DNT / Sec-GPC too.
    const kept = given ? await consentedContext({ store: deps.store, clock: deps.clock, tracking: ctx.tracking, erasureLedger: deps.erasureLedger }, brandId, visitorId, maskContext(masker, given), { known: tokenVisitor !== null, privacySignal: hasPrivacySignal(req.headers) }) : null
    const context = kept?.context ?? null
    if (kept?.changed) req.log.info({ brandId, visitorId, consent: kept.changed.state, conversations: kept.changed.conversations }, 'visitor consent recorded')
    const { contact } = form

    // A retry of a stored form opens nothing, so it is answered even when the limit is reached.
    let opening: Opening | null = null
    if (!(await deps.store.getConversation(brandId, convId))) {
      const taken = await takeOpening(ctx, brandId, visitorId, req.ip, now)
      if (!taken.ok) {
        req.log.warn({ brandId, limit: taken.args[0] }, 'offline message refused: conversation limit')
        void reply.header('retry-after', String(Math.max(1, Math.ceil(taken.retryAfterMs / 1000))))
        throw httpError('PARLEY_ERR_LIMIT_CONVERSATIONS', ...taken.args)
      }
      opening = taken.opening
    }
    let result: AppendResult
    try {
      result = await append({
        brandId, convId, clientMsgId: body.clientMsgId, from, text, at: now, context,
        // A plain string shown as text, never markup (the console renders text).
        contact,
        ...(form.response ? { response: form.response, routing: form.routing } : {}),
      })
    } catch (err) {
      if (opening) releaseOpening(ctx, opening)
      req.log.error({ err, brandId }, 'offline message append failed; nothing stored')
      throw httpError('PARLEY_ERR_SERVER_STORE')
    }
    if (opening && (!result.ok || !result.opened)) releaseOpening(ctx, opening)
    if (!result.ok) throw httpError(result.code, result.code === 'PARLEY_ERR_MESSAGE_ID_REUSED' ? body.clientMsgId : convId)

    const m = result.message
    if (result.opened) {
      const c = result.opened
      // The visitor's own open widgets show it in their history; agents see a new waiting conversation.
      deps.bus.publish({ brandId, audience: { kind: 'conversation', convId, visitorId }, frame: messageFrame(m) })
      deps.bus.publish({
        brandId,
        audience: { kind: 'agents' },
        frame: openedFrame(c, m),
      })
      req.log.info({ brandId, convId, length: m.text.length, visitor: tokenVisitor ? 'token' : 'new', survey: form.response?.surveyId }, 'offline message stored')
      void ctx.webhooks?.emit(brandId, 'offline.created', { convId, visitorId, text: m.text, at: m.at })
    }
    return reply.code(201).send({ convId, at: m.at })
  })
}
