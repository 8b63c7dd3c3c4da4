import type { Rule, SurveysConfig } from '@parley/sdk/contract'

// Rules may name a survey in their action (a button's or invitation's pre-chat survey, the offline
// form's survey): the two documents are saved apart, so each save checks the other.

/** The kind of survey a rule action may name, by action type. */
const KIND_OF_ACTION = { button: 'pre', invite: 'pre', 'offline-form': 'offline' } as const

/** The survey an action names and the kind it must be; null when it names none. */
function namedSurvey(rule: Rule): { id: string; kind: 'pre' | 'offline' } | null {
  const a = rule.action
  if ((a.type === 'button' || a.type === 'invite' || a.type === 'offline-form') && a.survey !== undefined) {
    return { id: a.survey, kind: KIND_OF_ACTION[a.type] }
  }
  return null
}

/** Every survey the rules name, with the kind the naming action needs (the first rule's, when several name one). */
export function surveysNamedByRules(rules: readonly Rule[]): Map<string, 'pre' | 'offline'> {
  const named = new Map<string, 'pre' | 'offline'>()
  for (const rule of rules) {
    const n = namedSurvey(rule)
    if (n && !named.has(n.id)) named.set(n.id, n.kind)
  }
  return named
}

/**
 * The first rule whose action names a survey the brand's document lacks, or one of another kind
 * (a pre-chat survey for a button or invitation, an offline survey for the offline form), with its
 * path as checkRules words paths (`rules/2/action/survey`). Null when all are well.
 */
export function ruleSurveyProblem(rules: readonly Rule[], surveys: SurveysConfig | null): { path: string; message: string } | null {
  for (const [i, rule] of rules.entries()) {
    const n = namedSurvey(rule)
    if (!n) continue
    const survey = surveys?.surveys.find((s) => s.id === n.id)
    if (!survey) return { path: `rules/${i}/action/survey`, message: `"${n.id}" is not one of the brand's surveys` }
    if (survey.kind !== n.kind) {
      return { path: `rules/${i}/action/survey`, message: `"${n.id}" is a ${survey.kind} survey; ${rule.action.type} takes a ${n.kind} survey` }
    }
  }
  return null
}
