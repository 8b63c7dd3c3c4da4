import type { PublicSiteConfig, RuleAction, Survey } from '@parley/sdk/contract'

// Which survey runs where, from the site config and the deciding rule: a rule's button or
// invitation may name its own pre-chat survey and its offline form its own offline survey; without
// one (or one the config does not ship) the brand's `surveys.pre` / `surveys.offline` runs;
// `surveys.post` follows every closed chat.

/** The survey `id` of the config (null when the config does not ship it). */
export function surveyById(config: Pick<PublicSiteConfig, 'surveys'>, id: string | undefined): Survey | null {
  return (id && config.surveys?.surveys.find((s) => s.id === id)) || null
}

/** The survey a rule's action names (`survey` on button, invite and offline-form). */
const ruleSurvey = (action: RuleAction | undefined): string | undefined => (action && 'survey' in action ? action.survey : undefined)

/** The pre-chat survey a new conversation starts with: the rule's, else the brand's; null for none. */
export function preSurveyOf(config: Pick<PublicSiteConfig, 'surveys'>, action?: RuleAction): Survey | null {
  return (action?.type !== 'offline-form' && surveyById(config, ruleSurvey(action))) || surveyById(config, config.surveys?.pre)
}

/** The offline form's survey: the offline-form rule's, else the brand's; null for the built-in form. */
export function offlineSurveyOf(config: Pick<PublicSiteConfig, 'surveys'>, action?: RuleAction): Survey | null {
  return (action?.type === 'offline-form' && surveyById(config, ruleSurvey(action))) || surveyById(config, config.surveys?.offline)
}
