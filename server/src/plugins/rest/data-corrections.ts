import type { FastifyPluginAsync } from 'fastify'
import { CorrectAnswers, CorrectContact, CorrectionResult, SurveyAnswersParams, SurveyResponse } from '@parley/sdk/contract'
import type { Masker } from '@parley/sdk/masking'
import type { Deps } from '../../deps.js'
import type { BrandMaskers } from '../../masking/brand-maskers.js'
import { maskEmailAddress } from '../../masking/contact-masking.js'
import { MAX_CONTACT_NAME } from '../../surveys/submission.js'
import { checkAnswerCorrection } from '../../data-rights/answer-correction.js'
import { resolveVisitors, selectorKind } from '../../data-rights/resolve-visitors.js'
import { httpError } from '../../errors.js'

// A visitor's right to have their data corrected (data.erase: admins, keys with data:erase): new
// contact details across every conversation of theirs, and new values for a survey response's
// answers. The new values are masked as the originals were when given; the old ones are overwritten,
// not kept. The audit entry names the fields corrected and counts, never a value, old or new.

/** `contact` masked as an offline form's contact is: the name like a message, the e-mail on each side of its `@`. */
function maskedContact(masker: Masker, contact: CorrectContact['contact']): CorrectContact['contact'] {
  return {
    ...(contact.name !== undefined ? { name: masker.mask(contact.name.trim()).text.slice(0, MAX_CONTACT_NAME) } : {}),
    ...(contact.email !== undefined ? { email: maskEmailAddress(masker, contact.email.trim()) } : {}),
  }
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
    const answered = (await store.listSurveyResponses(brandId, convId)).filter((r) => r.surveyId === surveyId).at(-1)
    if (!answered) throw httpError('PARLEY_ERR_SURVEY_RESPONSE_NOT_FOUND', convId, surveyId)
    const survey = await store.getSurveyVersion(brandId, surveyId, answered.version)
    if (!survey) throw httpError('PARLEY_ERR_SURVEY_NOT_FOUND', surveyId, String(answered.version))
    const checked = checkAnswerCorrection(survey, await maskers.get(brandId), req.body.answers)
    if (!checked.ok) {
      req.log.warn({ brandId, convId, surveyId, field: checked.field }, 'answer correction refused')
      throw httpError('PARLEY_ERR_SURVEY_ANSWER_INVALID', checked.field, checked.problem)
    }
    if (!await store.correctSurveyAnswers(brandId, convId, surveyId, checked.answers)) throw httpError('PARLEY_ERR_SURVEY_RESPONSE_NOT_FOUND', convId, surveyId)
    const fields = Object.keys(checked.answers).join(',')
    await app.audit.recordRequest(req, {
      action: 'data.correct', resource: { type: 'conversation', id: convId }, detail: { surveyId, fields },
    })
    req.log.info({ brandId, convId, surveyId, fields: Object.keys(checked.answers).length }, 'survey answers corrected')
    const corrected = (await store.listSurveyResponses(brandId, convId)).filter((r) => r.surveyId === surveyId).at(-1)
    if (!corrected) throw httpError('PARLEY_ERR_SURVEY_RESPONSE_NOT_FOUND', convId, surveyId)
    return corrected
  })
}
