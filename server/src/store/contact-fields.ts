import type { Survey } from '@parley/sdk/contract'

// Which survey fields carry the visitor's contact, one rule for every store and every data-rights
// call: a selector by e-mail finds an answer exactly where a contact correction rewrites it, so an
// address the visitor corrected cannot still be found, or exported, under the old one.

type SurveyField = Survey['fields'][number]

/** A survey field whose answer is an e-mail address: typed `email`, or with the e-mail purpose. */
export function isEmailField(f: SurveyField): boolean {
  return f.type === 'email' || f.purpose === 'email'
}

/** isEmailField in SQL, over `f`, a field of a survey definition as jsonb (PostgreSQL). */
export function emailFieldSql(f: string): string {
  return `(${f} ->> 'type' = 'email' OR ${f} ->> 'purpose' = 'email')`
}

/** Which part of a contact the field's answer is: the name purpose first, then an e-mail field; null for neither. */
export function contactPartOf(f: SurveyField): 'name' | 'email' | null {
  if (f.purpose === 'name') return 'name'
  return isEmailField(f) ? 'email' : null
}

/** contactPartOf in SQL over `f` (jsonb): 'name', 'email' or NULL. */
export function contactPartSql(f: string): string {
  return `CASE WHEN ${f} ->> 'purpose' = 'name' THEN 'name' WHEN ${emailFieldSql(f)} THEN 'email' END`
}
