import type { Conversation, StoredMessage, SurveyResponse } from '@parley/sdk/contract'
import { conversationNotes, responses as fetchResponses, transcript } from './api.js'
import { changeNotes, type NoteLine } from './note-state.js'

// Reading a whole conversation to show it as a read-only transcript (Transcripts, and a visitor's
// earlier conversations beside a chat).

/** A conversation read in full: its header, every message, its internal notes, and the survey answers (null: they could not be read). */
export interface LoadedTranscript {
  conv: Conversation
  messages: StoredMessage[]
  responses: SurveyResponse[] | null
  /** Agents only, shown marked internal among the messages; none when they could not be read. */
  notes: readonly NoteLine[]
}

/** What a stub shows in place of its erased messages, live or loaded later (`erasedAt` in ms). */
export function erasedNotice(erasedAt: number): string {
  return `Erased on ${new Date(erasedAt).toLocaleDateString()}.`
}

/** Reads every page of `conv`'s transcript, and its survey answers beside them. */
export async function loadTranscript(token: string, conv: Conversation): Promise<LoadedTranscript> {
  // The answers are read beside the pages; the transcript reads without them when they can't be read (an older relay).
  const answersRead = fetchResponses(token, conv.convId).then((l) => l.responses, () => null)
  const notesRead = conversationNotes(token, conv.convId).then((l) => changeNotes([], { kind: 'stored', notes: l.notes }), () => [])
  const messages: StoredMessage[] = []
  for (let after = 0; ;) {
    const page = await transcript(token, conv.convId, after)
    messages.push(...page.messages)
    if (!page.more || page.messages.length === 0) break
    after = page.messages[page.messages.length - 1]!.seq
  }
  return { conv, messages, responses: await answersRead, notes: await notesRead }
}
