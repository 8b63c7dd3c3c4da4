import type { Note } from '../../contract/notes.js'
import type { Conversation, StoredMessage } from '../../contract/rest.js'
import type { SurveyResponse } from '../../contract/surveys.js'

// The brand's transcript export: one document with everything the brand keeps of a conversation,
// read through the REST routes a page at a time. Internal notes are in it; this is the brand's copy,
// never the visitor's (the visitor receives no note, anywhere).

/** A conversation as the brand exports it: header, every message, every internal note, every survey answer. */
export interface Transcript {
  conversation: Conversation
  /** In sequence order, masked as stored. */
  messages: StoredMessage[]
  /** The agents' internal notes, oldest first, masked as stored. */
  notes: Note[]
  /** Survey answers (pre-chat, post-chat, offline), oldest first. */
  responses: SurveyResponse[]
}

/** What the export reads, one REST call each (the messages page by page). */
export interface TranscriptSource {
  retrieve(): Promise<Conversation>
  messages(): AsyncIterable<StoredMessage>
  notes(): Promise<Note[]>
  responses(): Promise<SurveyResponse[]>
}

/** Reads the whole transcript. The header is read first, so an unknown conversation fails before the rest is asked for. */
export async function readTranscript(src: TranscriptSource): Promise<Transcript> {
  const conversation = await src.retrieve()
  const messages: StoredMessage[] = []
  for await (const m of src.messages()) messages.push(m)
  const [notes, responses] = await Promise.all([src.notes(), src.responses()])
  return { conversation, messages, notes, responses }
}
