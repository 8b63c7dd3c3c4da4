import { SCALES, type AnswerValue, type Survey, type SurveyField, type SurveyKind, type SurveyResponse } from '@parley/sdk/contract'
import { pickText } from '@parley/sdk/surveys'

// A stored survey answer as the agent reads it: each field by the label it was asked with, choice
// answers by their option labels (when the version is known), scores with their scale, consents
// with the text agreed to. Pure: the views render the rows as text.

/** What kind of survey a response answered, in the console's words. */
export const KIND_TEXT: Readonly<Record<SurveyKind, string>> = { pre: 'Pre-chat', post: 'Post-chat', offline: 'Offline form' }

/** One answered field, ready to show. */
export interface AnswerRow {
  fieldId: string
  /** The label as asked (the response's `labels`), else the survey version's, else the field id. */
  label: string
  /** The answer in words: option labels, "Yes"/"No", "4 of 1–5", the text. */
  text: string
  /** For a consent: the exact text the visitor agreed to. */
  consent?: string
}

/** The key a survey version is cached under. */
export function versionKey(surveyId: string, version: number): string {
  return `${surveyId}@${version}`
}

/** `record[key]` when it is the record's own (a field may be called `constructor`). */
function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record && Object.hasOwn(record, key) ? record[key] : undefined
}

/** `value` of `field` (when its version is known) in words. */
function answerText(value: AnswerValue, field: SurveyField | undefined, language: string | undefined, fallback: string | undefined): string {
  const option = (v: string) => {
    const o = field?.options?.find((x) => x.value === v)
    return o ? pickText(o.label, language, fallback) || v : v
  }
  if (field && (field.type === 'rating' || field.type === 'csat' || field.type === 'nps') && typeof value === 'number') {
    const [lo, hi] = SCALES[field.type]
    return `${value} on a scale of ${lo}–${hi}`
  }
  if (typeof value === 'boolean') return value ? 'Yes' : 'No'
  if (Array.isArray(value)) return value.map(option).join(', ')
  if (typeof value === 'string' && (field?.type === 'choice')) return option(value)
  return String(value)
}

/**
 * The rows of a response in the order its survey asks them (answers the version doesn't list, or
 * all of them when the version is unknown, in the order stored).
 */
export function answerRows(r: SurveyResponse, survey?: Survey | null): AnswerRow[] {
  const fields = survey?.fields ?? []
  const ids = [...fields.map((f) => f.id).filter((id) => Object.hasOwn(r.answers, id)), ...Object.keys(r.answers).filter((id) => !fields.some((f) => f.id === id))]
  return ids.map((fieldId) => {
    const field = fields.find((f) => f.id === fieldId)
    const value = r.answers[fieldId]!
    const label = own(r.labels, fieldId) ?? (field ? pickText(field.label, r.language, survey?.defaultLanguage) : '')
    const consent = own(r.consents, fieldId)
    const row: AnswerRow = {
      // A consent's label is usually the text agreed to, which the row quotes: not shown twice.
      fieldId, label: consent !== undefined && consent === label ? 'Consent' : label || fieldId,
      text: field?.type === 'consent' || consent !== undefined ? (value === true ? 'Agreed' : value === false ? 'Not agreed' : String(value)) : answerText(value, field, r.language, survey?.defaultLanguage),
    }
    if (consent !== undefined) row.consent = consent
    return row
  })
}

/** Whether two responses are the same stored answer (one arrives by frame and again with a join). */
export function isSameResponse(a: SurveyResponse, b: SurveyResponse): boolean {
  return a.surveyId === b.surveyId && a.version === b.version && a.kind === b.kind && a.at === b.at
}

/** `known` with `more` added, each answer once, oldest first. */
export function mergeResponses(known: readonly SurveyResponse[], more: readonly SurveyResponse[]): SurveyResponse[] {
  const fresh = more.filter((r, i) => !known.some((k) => isSameResponse(k, r)) && !more.slice(0, i).some((k) => isSameResponse(k, r)))
  return fresh.length === 0 ? [...known] : [...known, ...fresh].sort((x, y) => x.at - y.at)
}
