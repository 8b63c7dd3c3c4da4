// The survey field types, kinds and bounds. Kept apart from surveys.ts, and free of TypeBox, so the
// form code the widget bundles (and the pure validator in sdk/src/surveys) can use them without
// pulling in the schema library.

/**
 * What a field asks for. `text` one line, `longtext` several; `email` and `phone` are text with a
 * format; `number` a number in a range; `choice` one option, `multichoice` several; `yesno` a
 * boolean; `rating` and `csat` 1–5; `nps` 0–10; `consent` a checkbox that must be ticked when
 * required, whose label is stored with the answer as the text the visitor agreed to.
 */
export const FIELD_TYPES = [
  'text', 'longtext', 'email', 'phone', 'number', 'choice', 'multichoice', 'yesno', 'rating', 'csat', 'nps', 'consent',
] as const
export type FieldType = (typeof FIELD_TYPES)[number]

/** When a survey is shown: before a chat, after it (or on an agent's request), or as the offline form. */
export const SURVEY_KINDS = ['pre', 'post', 'offline'] as const
export type SurveyKind = (typeof SURVEY_KINDS)[number]

/** A conversation's priority, lowest first; the queue shows the highest first, then the longest waiting. */
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const
export type Priority = (typeof PRIORITIES)[number]

/**
 * What a field's answer is for, beyond the survey: `email` and `phone` are the visitor's contact
 * address (kept unmasked, since replying is its purpose); `name` is the name agents see; `message`
 * is the offline form's message, which becomes the offline conversation's first message.
 */
export const FIELD_PURPOSES = ['name', 'email', 'phone', 'message'] as const
export type FieldPurpose = (typeof FIELD_PURPOSES)[number]

/** Extra formats a `text` field may require: digits only, letters and digits only, or an https URL. */
export const TEXT_FORMATS = ['digits', 'alphanumeric', 'url'] as const
export type TextFormat = (typeof TEXT_FORMATS)[number]

/** Bounds a survey document lives within (the schema says them too; the widget reads them here). */
export const SURVEY_LIMITS = {
  /** Surveys a brand keeps at once. */
  surveys: 20,
  /** Fields in one survey. */
  fields: 30,
  /** Options of one choice field. */
  options: 50,
  /** Characters of a `text`, `email` or `phone` answer (and the default maxLength of `text`). */
  shortText: 500,
  /** Characters of a `longtext` answer (the default maxLength of `longtext`). */
  longText: 4000,
  /** Characters of a label, help text or option label in one language. */
  label: 500,
} as const

/** The range of a rating-like field: rating and csat 1–5, nps 0–10. */
export const SCALES: Readonly<Record<'rating' | 'csat' | 'nps', readonly [number, number]>> = {
  rating: [1, 5], csat: [1, 5], nps: [0, 10],
}
