import type { Survey } from '../contract/surveys.js'

/** Whether two surveys ask the same (everything but `version` equal, key order ignored): a save keeps the version. */
export function sameSurveyContent(a: Survey, b: Survey): boolean {
  throw new Error('not yet')
}
