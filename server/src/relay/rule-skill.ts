import type { Routing, VisitorContext } from '@parley/sdk/contract'
import type { Store } from '../store/store.js'

// A chat's skill comes from the pre-chat topic or from the deployment rule that invited the visitor
// (its button or invitation's `skill`): the answers win, the rule fills in when they set none.

/** The routing a new conversation gets: `routing` (the pre-chat answers'), with the inviting rule's skill when it has none. */
export async function withRuleSkill(store: Store, brandId: string, context: VisitorContext | null, routing: Routing): Promise<Routing> {
  const ruleId = context?.ruleId
  if (routing.skill !== undefined || ruleId === undefined) return routing
  const action = (await store.getRulesConfig(brandId))?.rules.find((r) => r.id === ruleId)?.action
  const skill = action && (action.type === 'button' || action.type === 'invite') ? action.skill : undefined
  return skill === undefined ? routing : { ...routing, skill }
}
