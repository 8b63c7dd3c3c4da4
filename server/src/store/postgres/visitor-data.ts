import type { VisitorDataStore } from '../store.js'
import type { PgDb } from './db.js'
import { createVisitorRecords } from './visitor-records.js'
import { createConsent } from './consent.js'
import { createCorrections } from './corrections.js'
import { createErasure } from './erasure.js'

// A visitor's data rights on PostgreSQL (issue 19): what export reads, consent, corrections and
// erasure. Erasure requests, legal holds, retention and the privacy document are their own parts.

type VisitorDataMethods = Pick<VisitorDataStore, 'findVisitorIds' | 'getVisitor' | 'listVisitorConversations' | 'listConsentEvents'
  | 'recordConsent' | 'correctContact' | 'correctSurveyAnswers' | 'eraseConversations' | 'eraseVisitor' | 'scrubFreePages'>

/** The data-rights methods of the visitor's own records, over `db`. */
export function createVisitorData(db: PgDb): VisitorDataMethods {
  return { ...createVisitorRecords(db), ...createConsent(db), ...createCorrections(db), ...createErasure(db) }
}
