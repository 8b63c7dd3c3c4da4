import type { Rule, SurveysConfig } from '@parley/sdk/contract'
import { surveysNamedByRules } from './rule-surveys.js'

// The public site config carries only the surveys a widget may show: the brand's pre-chat,
// post-chat and offline surveys and those its rules name. Drafts stay with the brand.

/** The part of `config` in use: its surveys named by pre, post, offline or a rule, in document order. */
export function surveysInUse(config: SurveysConfig, rules: readonly Rule[]): SurveysConfig {
  const used = new Set<string>(surveysNamedByRules(rules).keys())
  for (const id of [config.pre, config.post, config.offline]) if (id !== undefined) used.add(id)
  const inUse: SurveysConfig = { surveys: config.surveys.filter((s) => used.has(s.id)) }
  if (config.pre !== undefined) inUse.pre = config.pre
  if (config.post !== undefined) inUse.post = config.post
  if (config.offline !== undefined) inUse.offline = config.offline
  return inUse
}
