import type { Masker } from '@parley/sdk/masking'
import { valueHiddenInId } from '../masking/id-check.js'
import type { SessionPort } from './session-port.js'

/**
 * Refuses a visitor's frame whose conversation or message id hides a value masking finds
 * (id-check.ts) with MESSAGE_REFUSED; true when the ids are clean. The refusal does not echo an id
 * that hides a value.
 */
export function hasCleanIds(s: SessionPort, masker: Masker, convId: string, clientMsgId: string): boolean {
  for (const [what, id] of [['conversation id', convId], ['message id', clientMsgId]] as const) {
    const found = valueHiddenInId(masker, id)
    if (found === null) continue
    s.reject('PARLEY_ERR_MESSAGE_REFUSED', [`its ${what} holds a value masking hides (${found})`], what === 'message id' ? undefined : clientMsgId)
    return false
  }
  return true
}
