import type { Survey, SurveysConfig } from '@parley/sdk/contract'
import { sameSurveyContent } from '@parley/sdk/surveys'
import type { Store } from '../store/store.js'

// Survey versions on save: a survey whose content is unchanged keeps its number; a changed one gets
// the next number after the newest ever saved (even one since removed from the document, so an id
// used again never reuses a number old answers point at); a new one starts at 1.

/** The document to store (every survey with its version) and the surveys that are new versions. */
export interface VersionedSurveys {
  config: SurveysConfig
  newVersions: Survey[]
}

/** Numbers the surveys of `config` against `latest` (the newest saved version of each survey id). */
function assignVersions(config: SurveysConfig, latest: ReadonlyMap<string, Survey>): VersionedSurveys {
  const newVersions: Survey[] = []
  const surveys = config.surveys.map((s): Survey => {
    const saved = latest.get(s.id)
    if (saved && sameSurveyContent(saved, s)) return { ...s, version: saved.version ?? 1 }
    const next = { ...s, version: (saved?.version ?? 0) + 1 }
    newVersions.push(next)
    return next
  })
  return { config: { ...config, surveys }, newVersions }
}

/** Numbers `doc` against the brand's saved versions and stores it with its new versions: a save. */
export async function saveSurveys(store: Store, brandId: string, doc: SurveysConfig, at: number): Promise<VersionedSurveys> {
  const versioned = assignVersions(doc, await store.latestSurveyVersions(brandId))
  await store.setSurveysConfig(brandId, versioned.config, versioned.newVersions, at)
  return versioned
}
