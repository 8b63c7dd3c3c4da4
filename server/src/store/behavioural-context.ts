import { BEHAVIOURAL_CONTEXT_FIELDS, type VisitorContext } from '@parley/sdk/contract'

// What a visitor who denied consent to behavioural tracking leaves in a stored context: the page
// they are on and their browser, none of the counts that follow them from page to page. Pure, for
// both stores.

/** The context without its behavioural values (the same object when it has none). */
export function withoutBehaviour(context: VisitorContext): VisitorContext {
  if (!BEHAVIOURAL_CONTEXT_FIELDS.some((f) => context[f] !== undefined)) return context
  const bare: VisitorContext = { ...context }
  for (const f of BEHAVIOURAL_CONTEXT_FIELDS) delete bare[f]
  return bare
}
