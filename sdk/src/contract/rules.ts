import { Type, type Static } from '@sinclair/typebox'
import { Timestamp } from './ids.js'
import { RouteSlug, SurveyId } from './surveys.js'
import { BOOLEAN_FACTS, NAMED_FACTS, NUMBER_FACTS, NUMBER_OPS, STRING_FACTS, STRING_OPS } from './rule-facts.js'

// Deployment rules: per visitor, what the widget shows (the chat button, a proactive invitation, an
// offer banner, the offline message form, or nothing). A brand keeps an ordered list; the first rule
// whose conditions hold and which is not held back (disabled, capped, expired, control arm) decides.
// No rule matches → the chat button, as before rules existed. The same documents are evaluated in the
// browser (widget), by the SDK (`parley.rules.simulate`) and by the relay (`POST /v1/rules/simulate`),
// all with `evaluateRules` from sdk/src/rules. Rules are public: they ship in the site config.

const strict = { additionalProperties: false } as const

/** A rule's id: the brand's own slug, unique in its list; stats and traces name rules by it. */
export const RuleId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9][a-z0-9_-]*$' })
export type RuleId = Static<typeof RuleId>

// The fact and operator lists live in rule-facts.ts, free of TypeBox, for the widget's evaluator.
export { STRING_FACTS, NUMBER_FACTS, BOOLEAN_FACTS, NAMED_FACTS, STRING_OPS, NUMBER_OPS } from './rule-facts.js'

/** A fact a rule can test (rule-facts.ts lists them by the type of value they hold). */
export const FactName = Type.Union([...STRING_FACTS, ...NUMBER_FACTS, ...BOOLEAN_FACTS, ...NAMED_FACTS].map((f) => Type.Literal(f)))
export type FactName = Static<typeof FactName>
/** How a fact test compares: the string operators, then the number ones. */
export const Operator = Type.Union([...STRING_OPS, ...NUMBER_OPS].map((o) => Type.Literal(o)))
export type Operator = Static<typeof Operator>

/**
 * One test of one fact. Which `op` and `value` fit which fact (a number for `gt`, a list for `in`,
 * none for `exists`, `name` only for `query` and `value`) is checked on save by `checkRules`, which
 * names the bad field. A fact the visitor lacks (no country known, tracking not allowed) makes the
 * test false, never an error.
 */
export const FactTest = Type.Object({
  fact: FactName,
  /** The query parameter or page value to test, for `query` and `value`. */
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  op: Operator,
  value: Type.Optional(Type.Union([
    Type.String({ maxLength: 512 }), Type.Number(), Type.Boolean(), Type.Array(Type.String({ maxLength: 512 }), { maxItems: 50 }),
  ])),
  /** String tests ignore case unless this is true (`url`, `path` and `query` values included). */
  caseSensitive: Type.Optional(Type.Boolean()),
}, strict)
export type FactTest = Static<typeof FactTest>

/** Conditions: a fact test, or all / any / not over conditions (nested at most 6 deep, checked on save). */
export const Condition = Type.Recursive((This) => Type.Union([
  Type.Object({ all: Type.Array(This, { minItems: 1, maxItems: 50 }) }, strict),
  Type.Object({ any: Type.Array(This, { minItems: 1, maxItems: 50 }) }, strict),
  Type.Object({ not: This }, strict),
  FactTest,
]), { $id: 'RuleCondition' })
export type Condition = Static<typeof Condition>

/** An https URL (plain http only on localhost, as for logos), for offer links. */
const LinkUrl = Type.String({ maxLength: 2048, pattern: '^(https://[^\\s/?#@]+|http://(localhost|127\\.0\\.0\\.1)(:[0-9]{1,5})?)([/?#][^\\s]*)?$' })
/** An ISO 8601 date-time with its offset, e.g. `2026-12-31T23:59:00Z`. */
const DateTime = Type.String({ maxLength: 40, pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,3})?)?(Z|[+-][0-9]{2}:[0-9]{2})$' })

/** What a rule does when it decides. */
export const RuleAction = Type.Union([
  /**
   * The chat button (the launcher), as without rules; `survey`: a pre-chat survey to ask instead of
   * the brand's; `skill`: the skill its chats need when the pre-chat answers set none.
   */
  Type.Object({ type: Type.Literal('button'), survey: Type.Optional(SurveyId), skill: Type.Optional(RouteSlug) }, strict),
  /**
   * A proactive invitation: after `delaySec` on the page, a bubble with `message`, optionally signed
   * by `agentName`. Accepting opens the chat with the message shown; dismissing starts the rule's cap.
   */
  Type.Object({
    type: Type.Literal('invite'),
    message: Type.String({ minLength: 1, maxLength: 500 }),
    delaySec: Type.Optional(Type.Integer({ minimum: 0, maximum: 3600 })),
    agentName: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    /** A pre-chat survey to ask on accepting, instead of the brand's. */
    survey: Type.Optional(SurveyId),
    /** The skill the chats it opens need when the pre-chat answers set none (routing). */
    skill: Type.Optional(RouteSlug),
  }, strict),
  /** An offer banner: text, an optional coupon code and link; gone after `expiresAt`; dismissible. */
  Type.Object({
    type: Type.Literal('offer'),
    text: Type.String({ minLength: 1, maxLength: 280 }),
    code: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    link: Type.Optional(Type.Object({ url: LinkUrl, label: Type.String({ minLength: 1, maxLength: 64 }) }, strict)),
    expiresAt: Type.Optional(DateTime),
  }, strict),
  /**
   * The offline message form (the brand's offline survey, or name, e-mail and message), which
   * reaches agents as an offline conversation; `survey`: an offline survey to use instead.
   */
  Type.Object({ type: Type.Literal('offline-form'), survey: Type.Optional(SurveyId) }, strict),
  /** Nothing: no button, no banner. A visitor with a conversation under way still gets the button. */
  Type.Object({ type: Type.Literal('hide') }, strict),
])
export type RuleAction = Static<typeof RuleAction>
/** The kind of action a rule takes (`button`, `invite`, `offer`, `offline-form`, `hide`). */
export type RuleActionType = RuleAction['type']

/** One deployment rule. */
export const Rule = Type.Object({
  id: RuleId,
  /** For people: shown in the console's chart and in traces. */
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  /** A disabled rule is skipped (default: enabled). */
  enabled: Type.Optional(Type.Boolean()),
  /** Absent: the rule always holds. */
  when: Type.Optional(Condition),
  action: RuleAction,
  /**
   * A stable share of visitors (by a hash of the visitor id and the rule id) for whom the rule acts;
   * the rest are its control arm, who fall through to the rules below. Counted per arm in the stats.
   */
  rollout: Type.Optional(Type.Object({ percent: Type.Number({ minimum: 0, maximum: 100 }) }, strict)),
  /** Frequency cap: after the visitor dismisses this rule's invitation or offer, skip it for `days`. */
  cap: Type.Optional(Type.Object({ days: Type.Integer({ minimum: 1, maximum: 365 }) }, strict)),
}, strict)
export type Rule = Static<typeof Rule>

/** GET/PUT/PATCH /v1/rules, and `rules` in the public site config. Ids are unique (checked on save). */
export const RulesConfig = Type.Object({ rules: Type.Array(Rule, { maxItems: 100 }) }, strict)
export type RulesConfig = Static<typeof RulesConfig>

const Clock = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$' })
const Day = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' })
/** Open from `from` to `to` (local time of the brand's zone); `to` may be `24:00`; `to` before `from` runs past midnight. */
export const OpenInterval = Type.Object({ from: Clock, to: Clock }, strict)
export type OpenInterval = Static<typeof OpenInterval>
const DayHours = Type.Optional(Type.Array(OpenInterval, { maxItems: 6 }))

/** A closed day or range of days (inclusive), in the brand's zone. */
export const Holiday = Type.Object({
  from: Day,
  /** Last closed day; absent: the one day `from`. */
  to: Type.Optional(Day),
  name: Type.Optional(Type.String({ maxLength: 128 })),
}, strict)
export type Holiday = Static<typeof Holiday>

/**
 * GET/PUT/PATCH /v1/business-hours, and `businessHours` in the public site config. A day left out
 * is closed. A brand that never saved hours is open all the time (the `businessHours` fact is true).
 */
export const BusinessHours = Type.Object({
  /** An IANA time zone, e.g. `Europe/Paris` (checked with Intl on save). */
  timeZone: Type.String({ minLength: 1, maxLength: 64 }),
  weekly: Type.Object({ mon: DayHours, tue: DayHours, wed: DayHours, thu: DayHours, fri: DayHours, sat: DayHours, sun: DayHours }, strict),
  holidays: Type.Optional(Type.Array(Holiday, { maxItems: 200 })),
}, strict)
export type BusinessHours = Static<typeof BusinessHours>

/**
 * One visitor as the evaluator sees them: what a widget knows on a page, or what a brand writes in a
 * simulation. Anything left out is a missing fact. `now` defaults to the time of evaluation.
 */
export const VisitorFacts = Type.Object({
  url: Type.String({ maxLength: 2048 }),
  title: Type.Optional(Type.String({ maxLength: 512 })),
  referrer: Type.Optional(Type.String({ maxLength: 2048 })),
  /** Behavioural facts: present only when the brand's tracking setting and the visitor's choice allow. */
  pagesViewed: Type.Optional(Type.Integer({ minimum: 0 })),
  timeOnPageSec: Type.Optional(Type.Number({ minimum: 0 })),
  timeOnSiteSec: Type.Optional(Type.Number({ minimum: 0 })),
  visitCount: Type.Optional(Type.Integer({ minimum: 0 })),
  returning: Type.Optional(Type.Boolean()),
  /** The browser's user agent; `device`, `browser` and `os` come from it. */
  userAgent: Type.Optional(Type.String({ maxLength: 512 })),
  language: Type.Optional(Type.String({ maxLength: 35 })),
  /** ISO 3166-1 alpha-2, as the relay's availability answer gives it (absent when unknown). */
  country: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$' })),
  now: Type.Optional(Timestamp),
  agentsAvailable: Type.Optional(Type.Integer({ minimum: 0 })),
  queueLength: Type.Optional(Type.Integer({ minimum: 0 })),
  values: Type.Optional(Type.Record(Type.String({ maxLength: 40 }), Type.Union([Type.String({ maxLength: 256 }), Type.Number(), Type.Boolean()]), { maxProperties: 20 })),
  consent: Type.Optional(Type.Union([Type.Literal('granted'), Type.Literal('denied'), Type.Literal('unset')])),
  /** For the rollout hash; without it the visitor is in no rollout's treatment arm. */
  visitorId: Type.Optional(Type.String({ maxLength: 64 })),
  /** When the visitor last dismissed each rule's invitation or offer (ms), for frequency caps. */
  dismissed: Type.Optional(Type.Record(RuleId, Timestamp, { maxProperties: 100 })),
}, strict)
export type VisitorFacts = Static<typeof VisitorFacts>

/** The rollout arm a visitor is in for a rule: `treatment` sees its action; `control` falls through. */
export const RolloutArm = Type.Union([Type.Literal('treatment'), Type.Literal('control')])
export type RolloutArm = Static<typeof RolloutArm>

/** Why each rule above the deciding one (and the deciding one) did or didn't act. */
export const TraceEntry = Type.Object({
  ruleId: RuleId,
  result: Type.Union([
    Type.Literal('matched'), Type.Literal('not-matched'), Type.Literal('disabled'),
    Type.Literal('capped'), Type.Literal('control'), Type.Literal('expired'),
  ]),
  /** For people: the first condition that failed (`path glob "/pricing*" was "/blog"`), the cap's end, … */
  reason: Type.Optional(Type.String()),
}, strict)
export type TraceEntry = Static<typeof TraceEntry>

/** What `evaluateRules` returns: the action, the rule that chose it (null: none matched, the default button), and the trace. */
export const Decision = Type.Object({
  action: RuleAction,
  ruleId: Type.Union([RuleId, Type.Null()]),
  /** The deciding rule's arm when it has a rollout; null otherwise. */
  arm: Type.Union([RolloutArm, Type.Null()]),
  trace: Type.Array(TraceEntry),
}, strict)
export type Decision = Static<typeof Decision>

/** POST /v1/rules/simulate: decisions for up to 1,000 visitors, under the stored rules or the ones given. */
export const SimulateRequest = Type.Object({
  visitors: Type.Array(VisitorFacts, { minItems: 1, maxItems: 1000 }),
  rules: Type.Optional(Type.Array(Rule, { maxItems: 100 })),
  businessHours: Type.Optional(Type.Union([BusinessHours, Type.Null()])),
}, strict)
export type SimulateRequest = Static<typeof SimulateRequest>

/** The answer to a simulation: one decision per visitor, in order. */
export const SimulateResult = Type.Object({ decisions: Type.Array(Decision) }, strict)
export type SimulateResult = Static<typeof SimulateResult>
