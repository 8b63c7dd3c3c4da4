import type { KeyValueStorage } from '@parley/sdk/connection'
import { keptEarlier } from './earlier-conversations.js'
import type { Action, ChatMessage, PastConversation, WidgetState } from './state.js'

// What the browser keeps of the conversation between page loads: the newest messages on screen,
// the earlier conversations that fit, and who answered. The outbox keeps what is not yet sent.

interface SavedHistory {
  convId: string | null
  messages: ChatMessage[]
  ended: boolean
  agentName: string | null
  endedAt?: number | null
  earlier?: PastConversation[]
  agentReadSeq?: number
}

const HISTORY_KEY = 'parley:history'
/** Messages of the conversation on screen the browser keeps (the newest). */
const KEEP = 200

/** The saved history as a 'restore' action, and the seq the connection may resume that conversation from; null when nothing was saved. */
export async function loadHistory(storage: KeyValueStorage): Promise<{ restore: Action; convId: string | null; resumeFrom: number; ended: boolean } | null> {
  const saved = await storage.get<SavedHistory>(HISTORY_KEY)
  if (!saved) return null
  return {
    // Histories saved by an older widget lack the later fields: those start empty.
    restore: { type: 'restore', endedAt: null, earlier: [], agentReadSeq: 0, ...saved },
    convId: saved.convId, resumeFrom: contiguousSeq(saved.messages), ended: saved.ended,
  }
}

/** Saves what the browser keeps of `s` (stored messages only: the outbox keeps the rest). */
export function saveHistory(storage: KeyValueStorage, s: WidgetState): Promise<void> {
  const saved: SavedHistory = {
    convId: s.convId, ended: s.ended, agentName: s.agentName, endedAt: s.endedAt, agentReadSeq: s.agentReadSeq,
    messages: s.messages.filter((m) => m.seq !== null).slice(-KEEP),
    earlier: keptEarlier(s.earlier, KEEP),
  }
  return storage.set(HISTORY_KEY, saved)
}

/** Deletes the saved history (the visitor logged out). */
export function forgetHistory(storage: KeyValueStorage): Promise<void> {
  return storage.del(HISTORY_KEY)
}

/** The highest seq up to which the saved messages have no gap (what resume may start from). */
function contiguousSeq(messages: readonly ChatMessage[]): number {
  const seqs = messages.map((m) => m.seq).filter((s): s is number => s !== null).sort((a, b) => a - b)
  if (seqs.length === 0) return 0
  // History keeps only the newest messages: start from the first kept one.
  let at = seqs[0]!
  for (const s of seqs.slice(1)) {
    if (s === at + 1) at = s
    else if (s > at + 1) break
  }
  return at
}
