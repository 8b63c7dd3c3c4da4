import type { FastifyPluginAsync } from 'fastify'
import { ConvParams, Survey, SurveyResponseList, SurveysConfig, SurveyVersionParams } from '@parley/sdk/contract'
import { checkSurveys } from '@parley/sdk/surveys'
import type { Deps } from '../../deps.js'
import { httpError } from '../../errors.js'
import { recordTranscriptRead } from '../../audit/transcript-audit.js'
import { configDocumentRoutes } from './config-document.js'
import { surveysNamedByRules } from '../../surveys/rule-surveys.js'
import { saveSurveys } from '../../surveys/survey-versions.js'
import { accessibleConversation } from './conversation-access.js'
import { requirePrincipalFor } from './principal-for-action.js'

// The brand's surveys: the document (PUT/PATCH by admins and keys with config:write; its agents
// may read it: team.read), any saved version of a survey, and the answers given in a conversation. A saved document is
// checked by its schema (PARLEY_ERR_REQUEST_INVALID), then by checkSurveys, which also needs every
// survey the brand's rules name to stay in the list with its kind (PARLEY_ERR_SURVEYS_INVALID,
// naming the path); nothing is saved on a refusal. A save numbers the versions (survey-versions.ts):
// only a survey whose content changed gets a new one, and old versions stay readable for old answers.

/** GET, PUT and PATCH /v1/surveys; GET /v1/surveys/:surveyId/versions/:version; GET /v1/conversations/:convId/responses. */
export const surveyRoutes: FastifyPluginAsync<{ deps: Deps }> = async (app, { deps }) => {
  configDocumentRoutes<SurveysConfig>(app, deps, {
    url: '/v1/surveys',
    name: 'the surveys',
    schema: SurveysConfig,
    readAction: 'team.read',
    // Never saved: no surveys, so chats start without a form and the offline form is the built-in one.
    read: async (brandId) => (await deps.store.getSurveysConfig(brandId)) ?? { surveys: [] },
    async save(req, brandId, doc) {
      const rules = (await deps.store.getRulesConfig(brandId))?.rules ?? []
      const problem = checkSurveys(doc, surveysNamedByRules(rules))
      if (problem) throw httpError('PARLEY_ERR_SURVEYS_INVALID', problem.path, problem.message)
      const { config, newVersions } = await saveSurveys(deps.store, brandId, doc, deps.clock.now())
      req.log.info({ brandId, surveys: config.surveys.length, newVersions: newVersions.length }, 'surveys updated')
      return config
    },
  })

  app.get<{ Params: SurveyVersionParams }>('/v1/surveys/:surveyId/versions/:version', {
    schema: { summary: 'One saved version of a survey (old answers read through the version they answered)', params: SurveyVersionParams, response: { 200: Survey } },
    preHandler: app.authorize('team.read'),
  }, async (req) => {
    const { surveyId, version } = req.params
    const survey = await deps.store.getSurveyVersion(req.principal!.brandId, surveyId, version)
    if (!survey) throw httpError('PARLEY_ERR_SURVEY_NOT_FOUND', surveyId, version)
    return survey
  })

  app.get<{ Params: ConvParams }>('/v1/conversations/:convId/responses', {
    schema: { summary: 'The survey answers given in a conversation, oldest first', params: ConvParams, response: { 200: SurveyResponseList } },
    preHandler: requirePrincipalFor(app, 'conversation.read', 'brand', 'agent'),
  }, async (req): Promise<SurveyResponseList> => {
    // Answers are part of the conversation: read by whoever may read it (another brand's is not found).
    const conv = await accessibleConversation(app, deps.store, req, req.params.convId)
    const responses = await deps.store.listSurveyResponses(conv.brandId, conv.convId)
    await recordTranscriptRead(app.audit, req, conv.convId, 'responses')
    return { responses }
  })
}
