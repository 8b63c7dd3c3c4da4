import type Database from 'better-sqlite3'
import type { Store } from '../store.js'

// Surveys in SQLite: the brand's document, every saved version, the answers, and conversations
// opened with their pre-chat answer (migration 10).

type SurveyMethods = Pick<Store, 'getSurveysConfig' | 'setSurveysConfig' | 'getSurveyVersion' | 'latestSurveyVersions' | 'openConversation' | 'addSurveyResponse' | 'listSurveyResponses'>

/** The survey methods of the SQLite store. */
export function createSurveyStore(db: Database.Database): SurveyMethods {
  void db
  const notYet = (): never => { throw new Error('surveys are not stored yet') }
  return {
    getSurveysConfig: async () => notYet(),
    setSurveysConfig: async () => notYet(),
    getSurveyVersion: async () => notYet(),
    latestSurveyVersions: async () => notYet(),
    openConversation: async () => notYet(),
    addSurveyResponse: async () => notYet(),
    listSurveyResponses: async () => notYet(),
  }
}
