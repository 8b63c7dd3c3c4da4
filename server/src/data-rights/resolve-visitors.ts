import type { SelectorKind, VisitorSelector } from '@parley/sdk/contract'
import { httpError } from '../errors.js'
import type { VisitorDataStore } from '../store/store.js'

// Turns a data-rights selector (visitor id, customer id, e-mail) into the brand's visitor ids. The
// refusal names the selector's kind only: the value may be an e-mail, which no error or log keeps.

/** Which kind of selector this is (what receipts, errors and the audit log keep instead of its value). */
export function selectorKind(selector: VisitorSelector): SelectorKind {
  if ('visitorId' in selector) return 'visitorId'
  if ('customerId' in selector) return 'customerId'
  return 'email'
}

/** The brand's visitor ids the selector names (sorted, at least one), or PARLEY_ERR_VISITOR_NOT_FOUND. */
export async function resolveVisitors(store: Pick<VisitorDataStore, 'findVisitorIds'>, brandId: string, selector: VisitorSelector): Promise<string[]> {
  const ids = await store.findVisitorIds(brandId, selector)
  if (ids.length === 0) throw httpError('PARLEY_ERR_VISITOR_NOT_FOUND', selectorKind(selector))
  return ids
}
