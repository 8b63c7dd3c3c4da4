import { Type, type Static } from '@sinclair/typebox'
import { Id, Timestamp } from './ids.js'
import { LanguageTag } from './language-tag.js'
import { FIELD_PURPOSES, FIELD_TYPES, PRIORITIES, SURVEY_KINDS, SURVEY_LIMITS, TEXT_FORMATS } from './survey-fields.js'

// Surveys: the pre-chat form (its answers route the chat), the post-chat survey (CSAT, NPS,
// resolved?, free text) and the offline form. A brand keeps them in one document (GET/PUT/PATCH
// /v1/surveys) that also says which survey runs where; rules may name another pre-chat or offline
// survey for the visitors they pick. Every change to a survey's content gives it a new `version`;
// each answer keeps the version it answered, and old versions stay readable, so editing a survey
// never changes how old answers read. Surveys are public: the ones in use ship in the site config.

const strict = { additionalProperties: false } as const

export { FIELD_TYPES, SURVEY_KINDS, PRIORITIES, FIELD_PURPOSES, TEXT_FORMATS, SURVEY_LIMITS, SCALES } from './survey-fields.js'
export type { FieldType, SurveyKind, Priority, FieldPurpose, TextFormat } from './survey-fields.js'

/** When a survey is shown: `pre`, `post` or `offline`. */
const Kind = Type.Union(SURVEY_KINDS.map((k) => Type.Literal(k)))

/** A survey's id: the brand's own slug, unique among its surveys. */
export const SurveyId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9][a-z0-9_-]*$' })
export type SurveyId = Static<typeof SurveyId>

/** A field's id, unique in its survey; answers are keyed by it. */
export const FieldId = Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z][a-z0-9_]*$' })
export type FieldId = Static<typeof FieldId>

/** A routing value (topic, skill): a slug the queue shows and a brand's reports group by. */
export const RouteSlug = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9][a-z0-9_-]*$' })

/**
 * Text in the brand's languages: one string (every language), or strings by BCP 47 tag. The widget
 * picks the visitor's language, then its base language (`pt` for `pt-BR`), then the survey's
 * `defaultLanguage`, then the first given.
 */
export const LocalText = Type.Union([
  Type.String({ minLength: 1, maxLength: SURVEY_LIMITS.label }),
  Type.Record(LanguageTag, Type.String({ minLength: 1, maxLength: SURVEY_LIMITS.label }), { minProperties: 1, maxProperties: 30 }),
])
export type LocalText = Static<typeof LocalText>

/**
 * A conversation's routing: its topic, the skill it needs, its priority. Picking a choice option
 * sets it (pre-chat surveys); the queue shows it and sorts by priority, agents see it beside the chat.
 */
export const Routing = Type.Object({
  topic: Type.Optional(RouteSlug),
  skill: Type.Optional(RouteSlug),
  priority: Type.Optional(Type.Union(PRIORITIES.map((p) => Type.Literal(p)))),
}, strict)
export type Routing = Static<typeof Routing>

/** One option of a `choice` or `multichoice` field. */
export const ChoiceOption = Type.Object({
  /** What the answer holds (stable across versions and languages). */
  value: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9_-]*$' }),
  label: LocalText,
  /** Picking it routes the conversation (pre-chat surveys); several picks: the later field wins, the highest priority wins. */
  route: Type.Optional(Routing),
}, strict)
export type ChoiceOption = Static<typeof ChoiceOption>

/** A value an answer can hold: text, a number, a boolean, or the values of several options. */
export const AnswerValue = Type.Union([
  Type.String({ maxLength: SURVEY_LIMITS.longText }),
  Type.Number(),
  Type.Boolean(),
  Type.Array(Type.String({ maxLength: 64 }), { maxItems: SURVEY_LIMITS.options }),
])
export type AnswerValue = Static<typeof AnswerValue>

/**
 * Show a field only when an earlier field's answer `is` a value (a choice's option value, a yes/no
 * boolean, a number), is `in` a list (for a multichoice: any of its picks is), or is `answered` at
 * all (true) or not (false). A hidden field is never required and its answer is dropped.
 */
export const FieldCondition = Type.Union([
  Type.Object({ field: FieldId, is: Type.Union([Type.String({ maxLength: 64 }), Type.Number(), Type.Boolean()]) }, strict),
  Type.Object({ field: FieldId, in: Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: SURVEY_LIMITS.options }) }, strict),
  Type.Object({ field: FieldId, answered: Type.Boolean() }, strict),
])
export type FieldCondition = Static<typeof FieldCondition>

/**
 * One question. Validation by type: `minLength`/`maxLength` for text types (defaults 0 and 500, or
 * 4,000 for `longtext`); `min`/`max` (and `integer`) for `number`; `minChoices`/`maxChoices` for
 * `multichoice`; `format` for `text`; `email` and `phone` check their own format. `options` only,
 * and required, for `choice` and `multichoice`. Which keys fit which type is checked on save
 * (`checkSurveys`), naming the field.
 */
export const SurveyField = Type.Object({
  id: FieldId,
  type: Type.Union(FIELD_TYPES.map((t) => Type.Literal(t))),
  label: LocalText,
  help: Type.Optional(LocalText),
  placeholder: Type.Optional(LocalText),
  required: Type.Optional(Type.Boolean()),
  minLength: Type.Optional(Type.Integer({ minimum: 0, maximum: SURVEY_LIMITS.longText })),
  maxLength: Type.Optional(Type.Integer({ minimum: 1, maximum: SURVEY_LIMITS.longText })),
  min: Type.Optional(Type.Number()),
  max: Type.Optional(Type.Number()),
  integer: Type.Optional(Type.Boolean()),
  format: Type.Optional(Type.Union(TEXT_FORMATS.map((f) => Type.Literal(f)))),
  minChoices: Type.Optional(Type.Integer({ minimum: 0, maximum: SURVEY_LIMITS.options })),
  maxChoices: Type.Optional(Type.Integer({ minimum: 1, maximum: SURVEY_LIMITS.options })),
  options: Type.Optional(Type.Array(ChoiceOption, { minItems: 2, maxItems: SURVEY_LIMITS.options })),
  when: Type.Optional(FieldCondition),
  purpose: Type.Optional(Type.Union(FIELD_PURPOSES.map((p) => Type.Literal(p)))),
}, strict)
export type SurveyField = Static<typeof SurveyField>

/**
 * One survey. `version` is the relay's: absent or ignored on save, set on read; it goes up by one
 * each time a save changes the survey's content.
 */
export const Survey = Type.Object({
  id: SurveyId,
  kind: Kind,
  /** For people: the console and reports name the survey by it. */
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  title: Type.Optional(LocalText),
  intro: Type.Optional(LocalText),
  /** The submit button's label (default: the widget's own "Start chat", "Send" …). */
  submitLabel: Type.Optional(LocalText),
  /** The language a text falls back to when the visitor's is missing (default `en`). */
  defaultLanguage: Type.Optional(LanguageTag),
  fields: Type.Array(SurveyField, { minItems: 1, maxItems: SURVEY_LIMITS.fields }),
  version: Type.Optional(Type.Integer({ minimum: 1 })),
}, strict)
export type Survey = Static<typeof Survey>

/**
 * GET/PUT/PATCH /v1/surveys: the brand's surveys and which runs where. `pre`: asked before every
 * chat (a rule's button or invitation may name another); `post`: offered when a conversation
 * closes and sent when an agent asks; `offline`: the offline form (absent: the built-in name,
 * e-mail and message form). Each must name a survey of the list of that kind.
 */
export const SurveysConfig = Type.Object({
  surveys: Type.Array(Survey, { maxItems: SURVEY_LIMITS.surveys }),
  pre: Type.Optional(SurveyId),
  post: Type.Optional(SurveyId),
  offline: Type.Optional(SurveyId),
}, strict)
export type SurveysConfig = Static<typeof SurveysConfig>

/** GET /v1/surveys/:surveyId/versions/:version: any version ever saved, for reading old answers. */
export const SurveyVersionParams = Type.Object({ surveyId: SurveyId, version: Type.Integer({ minimum: 1 }) }, strict)
export type SurveyVersionParams = Static<typeof SurveyVersionParams>

/** Answers by field id (fields not shown or not answered are left out). */
export const Answers = Type.Record(FieldId, AnswerValue, { maxProperties: SURVEY_LIMITS.fields })
export type Answers = Static<typeof Answers>

/** What a visitor submits: which survey, the version they saw, their answers and their language. */
export const SurveySubmission = Type.Object({
  surveyId: SurveyId,
  version: Type.Integer({ minimum: 1 }),
  answers: Answers,
  /** The language the form was shown in (for the consent text stored with the answer). */
  language: Type.Optional(LanguageTag),
}, strict)
export type SurveySubmission = Static<typeof SurveySubmission>

/**
 * A stored answer to one survey, as agents, REST and the SDK read it: free text masked like
 * messages (contact fields kept); `consents` holds, for each consent field ticked, the exact text
 * the visitor agreed to; `labels` the field labels of that version in that language, so an old
 * answer reads as it was asked.
 */
export const SurveyResponse = Type.Object({
  surveyId: SurveyId,
  version: Type.Integer({ minimum: 1 }),
  kind: Kind,
  answers: Answers,
  language: Type.Optional(LanguageTag),
  consents: Type.Optional(Type.Record(FieldId, Type.String())),
  labels: Type.Optional(Type.Record(FieldId, Type.String())),
  at: Timestamp,
}, strict)
export type SurveyResponse = Static<typeof SurveyResponse>

/** GET /v1/conversations/:convId/responses: every survey answered in a conversation, oldest first. */
export const SurveyResponseList = Type.Object({ responses: Type.Array(SurveyResponse) }, strict)
export type SurveyResponseList = Static<typeof SurveyResponseList>
