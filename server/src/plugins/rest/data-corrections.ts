import type { FastifyPluginAsync } from 'fastify'
import { CorrectAnswers, CorrectContact, CorrectionResult, SurveyAnswersParams, SurveyResponse, type AnswerValue, type Survey } from '@parley/sdk/contract'
import type { Masker } from '@parley/sdk/masking'
import type { Deps } from '../../deps.js'
import type { ConversationRecord, Store } from '../../store/store.js'
import type { BrandMaskers } from '../../masking/brand-maskers.js'
import { maskEmailAddress } from '../../masking/contact-masking.js'
import { MAX_CONTACT_NAME } from '../../surveys/submission.js'
import { checkAnswerCorrection } from '../../data-rights/answer-correction.js'
import { resolveVisitors, selectorKind } from '../../data-rights/resolve-visitors.js'
import { emptyWal, RELAY_WAL_RETRY } from '../../masking/mask-existing.js'
import { fieldError, httpError } from '../../errors.js'

// A visitor's right to have their data corrected (data.erase: admins, keys with data:erase): new
// contact details across every conversation of theirs, and new values for a survey response's
// answers. The new values are masked as the originals were when given; the old ones are overwritten,
// not kept: neither in the rows nor in the WAL frames that held them, emptied after each correction as
// an erasure's are. The audit entry names the fields corrected and counts, never a value, old or new.

/** `contact` masked as an offline form's contact is: the name like a message, the e-mail on each side of its `@`. */
function maskedContact(masker: Masker, contact: CorrectContact['contact']): CorrectContact['contact'] {
  return {
    ...(contact.name !== undefined ? { name: masker.mask(contact.name.trim()).text.slice(0, MAX_CONTACT_NAME) } : {}),
    ...(contact.email !== undefined ? { email: maskEmailAddress(masker, contact.email.trim()) } : {}),
  }
}

/**
 * When `conv`'s content was erased (null: never), as its visitor's conversations list it: the header
 * a route reads does not say, and answers written into a stub would bring back what was erased.
 */
async function erasedAtOf(store: Pick<Store, 'listVisitorConversations'>, conv: ConversationRecord): Promise<number | null> {
  const PAGE = 20
  let after = { createdAt: conv.createdAt - 1, convId: '' }
  for (;;) {
    const page = await store.listVisitorConversations(conv.brandId, [conv.visitorId], after, PAGE)
    const found = page.find((c) => c.convId === conv.convId)
    if (found) return found.erasedAt
    const last = page.at(-1)
    if (!last || page.length < PAGE || last.createdAt > conv.createdAt) return null
    after = { createdAt: last.createdAt, convId: last.convId }
  }
}

/**
 * The contact a correction of `survey`'s answers changes: the name from the `name` purpose field,
 * the e-mail from the `email` purpose field (or, in a survey without one, an `email` type field).
 * A cleared answer clears the contact's value ('') so the old one selects nobody; {} when the
 * correction touches no contact field.
 */
function correctedContact(survey: Pick<Survey, 'fields'>, answers: Readonly<Record<string, AnswerValue | null>>): { name?: string; email?: string } {
  const byPurpose = survey.fields.some((f) => f.purpose === 'email')
  const contact: { name?: string; email?: string } = {}
  for (const f of survey.fields) {
    if (!(f.id in answers)) continue
    const value = answers[f.id]
    const text = typeof value === 'string' ? value.trim() : value === null ? '' : null
    if (text === null) continue
    if (f.purpose === 'name') contact.name = text.slice(0, MAX_CONTACT_NAME)
    else if (f.purpose === 'email' || (!byPurpose && f.type === 'email')) contact.email = text
  }
  return contact
}

/** POST /v1/visitors/correct; PATCH /v1/conversations/:convId/surveys/:surveyId/answers. */
export const dataCorrectionRoutes: FastifyPluginAsync<{ deps: Pick<Deps, 'store'>; maskers: BrandMaskers }> = async (app, { deps, maskers }) => {
  const { store } = deps

  app.post<{ Body: CorrectContact }>('/v1/visitors/correct', {
    schema: {
      summary: "Correct a visitor's contact name and/or e-mail in every conversation, customer record and contact answer of theirs; the old values are not kept",
      body: CorrectContact, response: { 200: CorrectionResult },
    },
    preHandler: app.authorize('data.erase'),
  }, async (req): Promise<CorrectionResult> => {
    const brandId = req.principal!.brandId
    const selector = selectorKind(req.body.selector)
    const visitorIds = await resolveVisitors(store, brandId, req.body.selector)
    const contact = maskedContact(await maskers.get(brandId), req.body.contact)
    if (contact.name === '' || contact.email === '') throw httpError('PARLEY_ERR_REQUEST_INVALID', 'body/contact must not be blank')
    const result = await store.correctContact(brandId, visitorIds, contact)
    await emptyWal(store, RELAY_WAL_RETRY)
    const fields = Object.keys(contact).join(',')
    await app.audit.recordRequest(req, {
      action: 'data.correct',
      resource: { type: 'visitor', id: visitorIds.length === 1 ? visitorIds[0]! : null },
      detail: { selector, fields, visitors: visitorIds.length, ...result },
    })
    req.log.info({ brandId, selector, fields, visitors: visitorIds.length, ...result }, 'visitor contact corrected')
    return result
  })

  app.patch<{ Params: SurveyAnswersParams; Body: CorrectAnswers }>('/v1/conversations/:convId/surveys/:surveyId/answers', {
    schema: {
      summary: "Correct answers of a conversation's survey response (null clears one), checked against the survey version it answered; the old values are not kept",
      params: SurveyAnswersParams, body: CorrectAnswers, response: { 200: SurveyResponse },
    },
    preHandler: app.authorize('data.erase'),
  }, async (req): Promise<SurveyResponse> => {
    const brandId = req.principal!.brandId
    const { convId, surveyId } = req.params
    const conv = await store.getConversation(brandId, convId)
    if (!conv) throw httpError('PARLEY_ERR_CONV_NOT_FOUND', convId)
    if (await erasedAtOf(store, conv) !== null) throw httpError('PARLEY_ERR_CONV_ERASED', convId)
    const answered = (await store.listSurveyResponses(brandId, convId)).filter((r) => r.surveyId === surveyId).at(-1)
    if (!answered) throw httpError('PARLEY_ERR_SURVEY_RESPONSE_NOT_FOUND', convId, surveyId)
    const survey = await store.getSurveyVersion(brandId, surveyId, answered.version)
    if (!survey) throw httpError('PARLEY_ERR_SURVEY_NOT_FOUND', surveyId, String(answered.version))
    const checked = checkAnswerCorrection(survey, await maskers.get(brandId), req.body.answers)
    if (!checked.ok) {
      req.log.warn({ brandId, convId, surveyId, field: checked.field }, 'answer correction refused')
      // The body names the field, as a refused submission's does (the SDK error's `field`).
      throw checked.field === null
        ? httpError('PARLEY_ERR_SURVEY_ANSWER_INVALID', '(not named)', `${checked.problem} and holds a value masking hides`)
        : fieldError('PARLEY_ERR_SURVEY_ANSWER_INVALID', checked.field, checked.field, checked.problem)
    }
    if (!await store.correctSurveyAnswers(brandId, convId, surveyId, checked.answers)) throw httpError('PARLEY_ERR_SURVEY_RESPONSE_NOT_FOUND', convId, surveyId)
    // A pre-chat name or e-mail is also the conversation's contact (and, being the visitor's, every
    // conversation of theirs): left there, the old address would still select the visitor.
    const contact = correctedContact(survey, checked.answers)
    const contactFields = Object.keys(contact).join(',')
    const contacts = contactFields ? await store.correctContact(brandId, [conv.visitorId], contact) : null
    await emptyWal(store, RELAY_WAL_RETRY)
    const fields = Object.keys(checked.answers).join(',')
    await app.audit.recordRequest(req, {
      action: 'data.correct', resource: { type: 'conversation', id: convId },
      detail: { surveyId, fields, ...(contacts ? { contactFields, conversations: contacts.conversations } : {}) },
    })
    req.log.info({ brandId, convId, surveyId, fields: Object.keys(checked.answers).length, contactFields: contactFields || null }, 'survey answers corrected')
    const corrected = (await store.listSurveyResponses(brandId, convId)).filter((r) => r.surveyId === surveyId).at(-1)
    if (!corrected) throw httpError('PARLEY_ERR_SURVEY_RESPONSE_NOT_FOUND', convId, surveyId)
    return corrected
  })
}
