import type { Answers, Routing, Survey } from '../contract/surveys.js'

/**
 * The topic, skill and priority the answers set: each picked option's `route` in field order (a
 * later field's topic or skill wins; the highest priority wins). Only shown fields count. Empty
 * object when nothing routes.
 */
export function routeOf(survey: Pick<Survey, 'fields'>, answers: Readonly<Answers>): Routing {
  throw new Error('not yet')
}
