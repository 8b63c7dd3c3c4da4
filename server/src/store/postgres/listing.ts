import type { Store } from '../store.js'
import type { PgDb } from './db.js'

// The brand's conversation listing and transcript search, reports, surveys and masking runs.

/** The Store methods this part implements. */
export type ListingMethods = Pick<Store, 'listConversations' | 'getSurveysConfig' | 'setSurveysConfig' | 'getSurveyVersion' | 'latestSurveyVersions' | 'addSurveyResponse' | 'listSurveyResponses' | 'readReport' | 'startMaskingRun' | 'getMaskingRun' | 'readMaskingItems' | 'commitMaskingStep' | 'failMaskingRun'>

export function createListing(db: PgDb): ListingMethods {
  void db
  return {
    async listConversations() { throw new Error('PostgreSQL store: listConversations is not built yet') },
    async getSurveysConfig() { throw new Error('PostgreSQL store: getSurveysConfig is not built yet') },
    async setSurveysConfig() { throw new Error('PostgreSQL store: setSurveysConfig is not built yet') },
    async getSurveyVersion() { throw new Error('PostgreSQL store: getSurveyVersion is not built yet') },
    async latestSurveyVersions() { throw new Error('PostgreSQL store: latestSurveyVersions is not built yet') },
    async addSurveyResponse() { throw new Error('PostgreSQL store: addSurveyResponse is not built yet') },
    async listSurveyResponses() { throw new Error('PostgreSQL store: listSurveyResponses is not built yet') },
    async readReport() { throw new Error('PostgreSQL store: readReport is not built yet') },
    async startMaskingRun() { throw new Error('PostgreSQL store: startMaskingRun is not built yet') },
    async getMaskingRun() { throw new Error('PostgreSQL store: getMaskingRun is not built yet') },
    async readMaskingItems() { throw new Error('PostgreSQL store: readMaskingItems is not built yet') },
    async commitMaskingStep() { throw new Error('PostgreSQL store: commitMaskingStep is not built yet') },
    async failMaskingRun() { throw new Error('PostgreSQL store: failMaskingRun is not built yet') },
  }
}
