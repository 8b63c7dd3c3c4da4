import type { RelayMasker } from '@parley/sdk/masking'
import type { SessionPort } from './session-port.js'

/** Conversation ids found clean, per masker; past it a masker's set starts over. */
const MAX_CLEAN_CONVERSATIONS = 10_000

// Conversation and message ids are chosen by the client (the widget makes random ones). A raw
// client can choose `4111111111111111`, and an id is stored, logged and fanned out as it is: it
// cannot be masked without breaking what refers to it, so a message whose id hides a value is
// refused. Only the built-in detectors count (RelayMasker.hiddenInId says why).
//
// A conversation id comes with every message to it, and checking an id costs a masking pass: a
// conversation id found clean is kept for the masker that checked it (the answer depends on nothing
// else). A saved configuration is a new masker, which checks afresh. Message ids are new with every
// message and are always checked; an id that hides a value is never kept. An id is kept only once a
// message to it is stored: before that it is just a string the sender chose, and a visitor could
// fill the set with ids of conversations that don't exist or aren't theirs.
const cleanConversations = new WeakMap<RelayMasker, Set<string>>()

/**
 * Refuses a visitor's frame whose conversation or message id hides a value masking finds
 * (RelayMasker.hiddenInId) with MESSAGE_REFUSED; true when the ids are clean. The refusal does not echo an id
 * that hides a value.
 */
export function hasCleanIds(s: SessionPort, masker: RelayMasker, convId: string, clientMsgId: string): boolean {
  if (!masker.active) return true
  if (!cleanConversations.get(masker)?.has(convId)) {
    const found = masker.hiddenInId(convId)
    if (found !== null) return refuse(s, 'conversation id', found, clientMsgId)
  }
  const found = masker.hiddenInId(clientMsgId)
  return found === null || refuse(s, 'message id', found, undefined)
}

/**
 * Remembers that `masker` found `convId` clean, so the next message to it checks only its message
 * id. Call it only once the store has stored a message to the conversation (hasCleanIds passed it).
 */
export function rememberCleanConversation(masker: RelayMasker, convId: string): void {
  if (!masker.active) return
  let clean = cleanConversations.get(masker)
  if (!clean) cleanConversations.set(masker, (clean = new Set()))
  else if (clean.has(convId)) return
  else if (clean.size >= MAX_CLEAN_CONVERSATIONS) clean.clear()
  clean.add(convId)
}

function refuse(s: SessionPort, what: string, found: string, ref: string | undefined): false {
  s.reject('PARLEY_ERR_MESSAGE_REFUSED', [`its ${what} holds a value masking hides (${found})`], ref)
  return false
}
