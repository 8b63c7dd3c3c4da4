// The decision as text for the browser console (`Parley('why')`).
import type { Decision } from '../contract/rules.js'

/**
 * The decision and its trace as lines: first what shows and which rule chose it (with its rollout
 * arm), then one line per rule in the trace with its result and, when there is one, the reason.
 *   Parley shows: offer (rule "pricing-offer", treatment arm)
 *     welcome: not-matched: path glob "/pricing*" was "/blog"
 *     pricing-offer: matched
 */
export function formatDecision(decision: Decision): string {
  const { action, ruleId, arm, trace } = decision
  const by = ruleId === null ? 'no rule matched' : `rule "${ruleId}"${arm ? `, ${arm} arm` : ''}`
  return [`Parley shows: ${action.type} (${by})`, ...trace.map((e) => `  ${e.ruleId}: ${e.result}${e.reason ? `: ${e.reason}` : ''}`)].join('\n')
}
