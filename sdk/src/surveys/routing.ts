import { PRIORITIES, type Priority } from '../contract/survey-fields.js'
import type { Answers, Routing, Survey } from '../contract/surveys.js'
import { answerOf } from './answered.js'
import { visibleFields } from './visibility.js'

/**
 * The topic, skill and priority the answers set: each picked option's `route` in field order (a
 * later field's topic or skill wins; the highest priority wins). Only shown fields count. Empty
 * object when nothing routes.
 */
export function routeOf(survey: Pick<Survey, 'fields'>, answers: Readonly<Answers>): Routing {
  const routing: Routing = {}
  for (const field of visibleFields(survey, answers)) {
    if (field.type !== 'choice' && field.type !== 'multichoice') continue
    const value = answerOf(answers, field.id)
    const picks: unknown[] = Array.isArray(value) ? value : [value]
    // Within one multichoice, options count in the survey's order, not the order they were ticked.
    for (const { value: option, route } of field.options ?? []) {
      if (!route || !picks.includes(option)) continue
      if (route.topic) routing.topic = route.topic
      if (route.skill) routing.skill = route.skill
      if (route.priority && rank(route.priority) > rank(routing.priority)) routing.priority = route.priority
    }
  }
  return routing
}

function rank(priority: Priority | undefined): number {
  return priority ? PRIORITIES.indexOf(priority) : -1
}
