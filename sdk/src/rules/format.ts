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
  const by = decision.ruleId === null ? 'no rule matched' : `rule "${decision.ruleId}"${decision.arm ? `, ${decision.arm} arm` : ''}`
  const lines = [`Parley shows: ${decision.action.type} (${by})`]
  for (const e of decision.trace) lines.push(`  ${e.ruleId}: ${e.result}${e.reason ? `: ${e.reason}` : ''}`)
  return lines.join('\n')
}
