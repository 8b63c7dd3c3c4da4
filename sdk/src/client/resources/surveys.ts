import type { Survey, SurveysConfig } from '../../contract/surveys.js'
import { checkSurveys } from '../../surveys/surveys.js'
import { MERGE_PATCH, type MergePatch } from '../merge-patch.js'
import { refusedHere } from '../refused-here.js'
import type { RequestOptions, Transport } from '../request.js'

/**
 * `parley.surveys`: the brand's pre-chat, post-chat and offline surveys. Every save that changes a
 * survey's content gives it a new `version`; answers keep the version they answered, and every
 * version stays readable (`version`).
 */
export class SurveysResource {
  readonly #t: Transport
  constructor(transport: Transport) {
    this.#t = transport
  }

  /** The saved document, each survey with its current version (`{ surveys: [] }` when none). */
  get(opts?: RequestOptions): Promise<SurveysConfig> {
    return this.#t.request({ method: 'GET', path: '/v1/surveys' }, opts)
  }

  /**
   * Replaces the whole document; answers with it as saved, versions set. Checked here first with the
   * relay's own checks (InvalidRequestError PARLEY_ERR_SURVEYS_INVALID naming the path, nothing
   * sent), then by the relay, which also refuses to drop a survey the brand's rules name.
   */
  set(doc: SurveysConfig, opts?: RequestOptions): Promise<SurveysConfig> {
    const problem = checkSurveys(doc)
    if (problem) return Promise.reject(refusedHere('PARLEY_ERR_SURVEYS_INVALID', [problem.path, problem.message]))
    return this.#t.request({ method: 'PUT', path: '/v1/surveys', body: doc }, opts)
  }

  /** A JSON Merge Patch of the document (`surveys` is replaced whole, as every array is); checked as `set` is, by the relay. */
  update(patch: MergePatch<SurveysConfig>, opts?: RequestOptions): Promise<SurveysConfig> {
    return this.#t.request({ method: 'PATCH', path: '/v1/surveys', body: patch, contentType: MERGE_PATCH }, opts)
  }

  /** One saved version of a survey, even one since changed or removed; NotFoundError PARLEY_ERR_SURVEY_NOT_FOUND when never saved. */
  version(surveyId: string, version: number, opts?: RequestOptions): Promise<Survey> {
    return this.#t.request({ method: 'GET', path: `/v1/surveys/${encodeURIComponent(surveyId)}/versions/${encodeURIComponent(String(version))}` }, opts)
  }
}
