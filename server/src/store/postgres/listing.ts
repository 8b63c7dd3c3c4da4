import type { Store } from '../store.js'
import type { PgDb } from './db.js'
import { createConversationListing } from './conversation-listing.js'
import { createSurveys } from './surveys.js'
import { createReports } from './reports.js'
import { createMaskingRuns } from './masking-runs.js'

// The brand's conversation listing and transcript search, reports, surveys and masking runs.

/** The Store methods this part implements. */
export type ListingMethods = Pick<Store, 'listConversations' | 'getSurveysConfig' | 'setSurveysConfig' | 'getSurveyVersion' | 'latestSurveyVersions' | 'addSurveyResponse' | 'listSurveyResponses' | 'readReport' | 'startMaskingRun' | 'getMaskingRun' | 'readMaskingItems' | 'commitMaskingStep' | 'failMaskingRun'>

export function createListing(db: PgDb): ListingMethods {
  return {
    listConversations: createConversationListing(db),
    ...createSurveys(db),
    readReport: createReports(db),
    ...createMaskingRuns(db),
  }
}
