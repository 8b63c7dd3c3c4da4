import type { RuleStats } from '../../contract/availability.js'
import type { BusinessHours, Decision, Rule, RulesConfig, VisitorFacts } from '../../contract/rules.js'
import { checkBusinessHours, checkRules, decide } from '../../rules/rules.js'
import { MERGE_PATCH, type MergePatch } from '../merge-patch.js'
import { refusedHere } from '../refused-here.js'
import type { RequestOptions, Transport } from '../request.js'
import type { BusinessHoursResource } from './business-hours.js'

/** What `simulate` evaluates against instead of what the brand has saved. */
export interface SimulateOptions extends RequestOptions {
  /** Rules to try (default: the saved ones, fetched). */
  rules?: readonly Rule[]
  /** Hours to try; null: always open (default: the saved ones, fetched). */
  businessHours?: BusinessHours | null
  /** The time of evaluation for visitors without their own `now` (default: now). */
  now?: number
}

/** `parley.rules`: the brand's deployment rules (what the widget shows to whom), their simulation and counts. */
export class RulesResource {
  readonly #t: Transport
  readonly #hours: BusinessHoursResource

  constructor(transport: Transport, hours: BusinessHoursResource) {
    this.#t = transport
    this.#hours = hours
  }

  /** The saved rules (`{ rules: [] }` when none: every visitor gets the chat button). */
  get(opts?: RequestOptions): Promise<RulesConfig> {
    return this.#t.request({ method: 'GET', path: '/v1/rules' }, opts)
  }

  /**
   * Replaces the whole list (order matters: the first rule that holds decides). A list the relay
   * refuses fails with InvalidRequestError PARLEY_ERR_RULES_INVALID naming the bad field's path
   * (or PARLEY_ERR_REQUEST_INVALID for a schema error); nothing is saved.
   */
  set(rules: readonly Rule[] | RulesConfig, opts?: RequestOptions): Promise<RulesConfig> {
    const body: RulesConfig = Array.isArray(rules) ? { rules: [...rules] } : (rules as RulesConfig)
    return this.#t.request({ method: 'PUT', path: '/v1/rules', body }, opts)
  }

  /** A JSON Merge Patch of the document (`rules` is replaced whole, as every array is). */
  update(patch: MergePatch<RulesConfig>, opts?: RequestOptions): Promise<RulesConfig> {
    return this.#t.request({ method: 'PATCH', path: '/v1/rules', body: patch, contentType: MERGE_PATCH }, opts)
  }

  /**
   * What the widget would show each visitor, with the trace of why, evaluated HERE by the same
   * evaluator the widget runs. Rules and hours not given are fetched (the saved ones); with both
   * given, nothing is sent, so a brand can test rules in its CI without a relay. Given rules and
   * hours are checked as the relay checks a save (InvalidRequestError PARLEY_ERR_RULES_INVALID /
   * PARLEY_ERR_HOURS_INVALID, naming the path).
   */
  async simulate(visitors: readonly VisitorFacts[], opts: SimulateOptions = {}): Promise<Decision[]> {
    const { rules: givenRules, businessHours: givenHours, now = Date.now(), ...request } = opts
    if (givenRules) {
      const problem = checkRules({ rules: [...givenRules] })
      if (problem) throw refusedHere('PARLEY_ERR_RULES_INVALID', [problem.path, problem.message])
    }
    if (givenHours) {
      const problem = checkBusinessHours(givenHours)
      if (problem) throw refusedHere('PARLEY_ERR_HOURS_INVALID', [problem.path, problem.message])
    }
    const [rules, hours] = await Promise.all([
      givenRules ?? this.get(request).then((c) => c.rules),
      givenHours !== undefined ? givenHours : this.#hours.get(request),
    ])
    return visitors.map((v) => decide(rules, v, hours, now))
  }

  /** Anonymous counts per rule, rollout arm and UTC day over the last `days` days (default 30; at most 365). */
  stats(query: { days?: number } = {}, opts?: RequestOptions): Promise<RuleStats> {
    return this.#t.request({ method: 'GET', path: '/v1/rules/stats', query: { days: query.days } }, opts)
  }
}
