import type { ExportedMessage, ExportedSurveyResponse, SelectorKind } from '@parley/sdk/contract'
import type { ExportHead } from './export-walk.js'

// The words the two readable renderings of an export (HTML and text) share, so a person reading
// either sees the same labels, dates and values. English, in UTC: the JSON document is the one to
// translate or convert.

/** A time as people read it: `2026-12-05 14:03:09 UTC`. */
export function dateText(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`
}

const SELECTORS: Record<SelectorKind, string> = { visitorId: 'visitor id', customerId: 'customer id', email: 'e-mail address' }

/** The document's title line. */
export function titleText(head: ExportHead): string {
  return `Data stored about a visitor (exported ${dateText(head.exportedAt)})`
}

/** What the export was asked for by, without the value asked with. */
export function selectorText(kind: SelectorKind): string {
  return `Found by ${SELECTORS[kind]}`
}

/** Who sent a message: their name, and what they are. */
export function senderText(m: ExportedMessage): string {
  const role = m.from === 'agent' ? 'agent' : m.from === 'visitor' ? 'visitor' : 'system'
  return m.name ? `${m.name} (${role})` : role
}

/** A stored value (a context field, an answer) as one line of text. */
export function valueText(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'boolean') return value ? 'yes' : 'no'
  if (Array.isArray(value)) return value.map(valueText).join(', ')
  if (typeof value === 'object') return Object.entries(value).map(([k, v]) => `${k}: ${valueText(v)}`).join('; ')
  return String(value)
}

/** A survey answer set's kind as people say it. */
export function surveyKindText(kind: ExportedSurveyResponse['kind']): string {
  return kind === 'pre' ? 'Before the chat' : kind === 'post' ? 'After the chat' : 'Offline form'
}

/** Each answer under the label the visitor saw (the field id when none was kept). */
export function answerRows(r: ExportedSurveyResponse): [label: string, value: string][] {
  return Object.entries(r.answers).map(([field, value]) => [r.labels?.[field] ?? field, valueText(value)])
}

/** A record's fields (context, contact, routing) as label/value rows, empty values left out. */
export function fieldRows(record: object | null): [label: string, value: string][] {
  if (record === null) return []
  return Object.entries(record).map(([k, v]): [string, string] => [k, valueText(v)]).filter(([, v]) => v !== '')
}
