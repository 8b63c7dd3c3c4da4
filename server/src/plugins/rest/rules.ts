import type { FastifyPluginAsync } from 'fastify'
import { BusinessHours, RulesConfig, SimulateRequest, SimulateResult, type Decision } from '@parley/sdk/contract'
import { checkBusinessHours, checkRules, decide } from '@parley/sdk/rules'
import type { Deps } from '../../deps.js'
import { httpError } from '../../errors.js'
import { configDocumentRoutes } from './config-document.js'
import { ruleSurveyProblem } from '../../surveys/rule-surveys.js'

// The brand's deployment rules and business hours, GET/PUT/PATCH by admins and keys with
// config:write (its agents may read them: team.read), and the simulation of its rules over visitors it describes. A saved
// document is checked twice: by its schema (PARLEY_ERR_REQUEST_INVALID), then by the evaluator's own
// checks, which say what a schema cannot (unique ids, an operator that fits its fact, nesting depth,
// a time zone Intl knows) and name the path (PARLEY_ERR_RULES_INVALID / PARLEY_ERR_HOURS_INVALID);
// either way nothing is saved. Both documents ship in the public site config, so saving one
// changes its ETag and every page sees it after the config's max-age.

/**
 * Body limit of a simulation: 1,000 visitors as a page describes them (URL, title, referrer, user
 * agent and a few values: about 1 KB each) and 100 rules, with room to spare.
 */
export const SIMULATE_BODY_LIMIT = 4 * 1024 * 1024

/** Visitors simulated between two turns of the event loop. */
const SIMULATE_SLICE = 100

/**
 * Longest trace reason a simulation answers with. A reason quotes the rule's value and the
 * visitor's fact whole (a 50-item list of 512-character strings, a 2 KB URL): 100 rules over 1,000
 * visitors would hold gigabytes in memory from a 4 MB request. The widget's own trace stays whole.
 */
export const SIMULATE_REASON_CHARS = 200

/** `d` with every reason cut to SIMULATE_REASON_CHARS; the same object when none is longer. */
function withShortReasons(d: Decision): Decision {
  if (!d.trace.some((e) => e.reason !== undefined && e.reason.length > SIMULATE_REASON_CHARS)) return d
  return {
    ...d,
    trace: d.trace.map((e) => (e.reason === undefined || e.reason.length <= SIMULATE_REASON_CHARS ? e : {
      ...e,
      // split/join copies the characters: a plain slice would keep the whole reason alive behind it.
      reason: `${e.reason.slice(0, SIMULATE_REASON_CHARS - 1).split('').join('')}…`,
    })),
  }
}

/** GET, PUT and PATCH /v1/rules and /v1/business-hours (DELETE too); POST /v1/rules/simulate. */
export const ruleRoutes: FastifyPluginAsync<{ deps: Deps }> = async (app, { deps }) => {
  configDocumentRoutes<RulesConfig>(app, deps, {
    url: '/v1/rules',
    name: 'the deployment rules',
    schema: RulesConfig,
    readAction: 'team.read',
    // Never saved: no rules, so every visitor gets the chat button.
    read: async (brandId) => (await deps.store.getRulesConfig(brandId)) ?? { rules: [] },
    async save(req, brandId, config) {
      const problem = checkRules(config) ?? ruleSurveyProblem(config.rules, await deps.store.getSurveysConfig(brandId))
      if (problem) throw httpError('PARLEY_ERR_RULES_INVALID', problem.path, problem.message)
      await deps.store.setRulesConfig(brandId, config)
      req.log.info({ brandId, rules: config.rules.length }, 'rules updated')
      return config
    },
  })

  configDocumentRoutes<BusinessHours>(app, deps, {
    url: '/v1/business-hours',
    name: 'the business hours',
    schema: BusinessHours,
    readAction: 'team.read',
    // Never saved (or removed): always open. A 404 rather than an invented document, so a reader
    // can tell "always open" from hours that happen to cover every day; PATCH needs hours to change.
    async read(brandId) {
      const hours = await deps.store.getBusinessHours(brandId)
      if (!hours) throw httpError('PARLEY_ERR_HOURS_NOT_FOUND')
      return hours
    },
    async save(req, brandId, hours) {
      const problem = checkBusinessHours(hours)
      if (problem) throw httpError('PARLEY_ERR_HOURS_INVALID', problem.path, problem.message)
      await deps.store.setBusinessHours(brandId, hours)
      req.log.info({ brandId, holidays: hours.holidays?.length ?? 0 }, 'business hours updated')
      return hours
    },
    async remove(req, brandId) {
      await deps.store.setBusinessHours(brandId, null)
      req.log.info({ brandId }, 'business hours removed')
    },
  })

  app.post<{ Body: SimulateRequest }>('/v1/rules/simulate', {
    schema: {
      summary: 'Decide, for each visitor described, what the widget would show and why (the stored rules and hours, or those given)',
      body: SimulateRequest, response: { 200: SimulateResult },
    },
    bodyLimit: SIMULATE_BODY_LIMIT,
    preHandler: app.authorize('config.write'),
  }, async (req): Promise<SimulateResult> => {
    const brandId = req.principal!.brandId
    const body = req.body
    const given = { rules: body.rules, hours: body.businessHours }
    // Given rules are checked as a save would check them: the evaluator may rely on what checkRules promises.
    if (given.rules) {
      const problem = checkRules({ rules: given.rules })
      if (problem) throw httpError('PARLEY_ERR_RULES_INVALID', problem.path, problem.message)
    }
    if (given.hours) {
      const problem = checkBusinessHours(given.hours)
      if (problem) throw httpError('PARLEY_ERR_HOURS_INVALID', `businessHours/${problem.path}`, problem.message)
    }
    const rules = given.rules ?? (await deps.store.getRulesConfig(brandId))?.rules ?? []
    // `businessHours: null` is "always open"; left out, the stored hours apply.
    const hours = given.hours !== undefined ? given.hours : await deps.store.getBusinessHours(brandId)
    const now = deps.clock.now()
    // Up to 1,000 visitors against up to 1,000 conditions: let other requests in between slices.
    const decisions: SimulateResult['decisions'] = []
    for (const v of body.visitors) {
      if (decisions.length > 0 && decisions.length % SIMULATE_SLICE === 0) await new Promise((resolve) => setImmediate(resolve))
      decisions.push(withShortReasons(decide(rules, v, hours, now)))
    }
    req.log.info({ brandId, visitors: body.visitors.length, rules: rules.length, given: given.rules !== undefined }, 'rules simulated')
    return { decisions }
  })
}
