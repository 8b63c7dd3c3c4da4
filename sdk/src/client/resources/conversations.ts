import type {
  Conversation, ConversationListQuery, ConversationPage, MessageListQuery, MessagePage, StoredMessage,
} from '../../contract/rest.js'
import type { SurveyResponse, SurveyResponseList } from '../../contract/surveys.js'
import type { CorrectAnswers } from '../../contract/data-rights.js'
import type { Note, NoteList } from '../../contract/notes.js'
import type { LegalHoldState } from '../../contract/data-rights.js'
import { readTranscript, type Transcript } from './transcript.js'
import { PagedList } from '../pages.js'
import type { RequestOptions, Transport } from '../request.js'

/** `parley.conversations`: the brand's transcripts. */
export class ConversationsResource {
  readonly #t: Transport
  constructor(transport: Transport) {
    this.#t = transport
  }

  /** Conversations newest first, filtered by `query`; `limit` is the page size. Iterate for every match. */
  list(query: Omit<ConversationListQuery, 'before'> = {}, opts?: RequestOptions): PagedList<Conversation, ConversationPage> {
    return new PagedList({
      fetch: (before) => this.#t.request<ConversationPage>({ method: 'GET', path: '/v1/conversations', query: { ...query, before } }, opts),
      items: (page) => page.conversations,
      next: (page) => page.next,
    })
  }

  /**
   * Puts a conversation under a legal hold: retention purges and erasures leave it whole until
   * `release`. A key with data:erase (or an admin); NotFoundError when the brand has no such conversation.
   */
  hold(convId: string, reason: string, opts?: RequestOptions): Promise<LegalHoldState> {
    return this.#t.request({ method: 'PUT', path: `/v1/conversations/${encodeURIComponent(convId)}/hold`, body: { reason } }, opts)
  }

  /** Lifts a conversation's legal hold (`hold` is then null); the next purge may erase it. */
  release(convId: string, opts?: RequestOptions): Promise<LegalHoldState> {
    return this.#t.request({ method: 'DELETE', path: `/v1/conversations/${encodeURIComponent(convId)}/hold` }, opts)
  }

  /** One conversation's header; NotFoundError when the brand has no such conversation. */
  retrieve(convId: string, opts?: RequestOptions): Promise<Conversation> {
    return this.#t.request({ method: 'GET', path: `/v1/conversations/${encodeURIComponent(convId)}` }, opts)
  }

  /** The survey answers given in a conversation (pre-chat, post-chat, offline), oldest first, each with its survey version. */
  async responses(convId: string, opts?: RequestOptions): Promise<SurveyResponse[]> {
    const list = await this.#t.request<SurveyResponseList>({ method: 'GET', path: `/v1/conversations/${encodeURIComponent(convId)}/responses` }, opts)
    return list.responses
  }

  /** A transcript in sequence order from after `afterSeq` (default: the start); `limit` is the page size. */
  messages(convId: string, query: MessageListQuery = {}, opts?: RequestOptions): PagedList<StoredMessage, MessagePage, number> {
    const path = `/v1/conversations/${encodeURIComponent(convId)}/messages`
    return new PagedList({
      fetch: (afterSeq) => this.#t.request<MessagePage>({ method: 'GET', path, query: { ...query, afterSeq: afterSeq ?? query.afterSeq } }, opts),
      items: (page) => page.messages,
      next: (page) => (page.more && page.messages.length > 0 ? page.messages[page.messages.length - 1]!.seq : null),
    })
  }

  /**
   * Corrects answers of the conversation's response to `surveyId` (null clears one); each value is
   * checked against the survey version answered (InvalidRequestError PARLEY_ERR_SURVEY_ANSWER_INVALID
   * naming the field, nothing changed) and masked as answers are. The old values are not kept.
   * Resolves with the corrected response.
   */
  correctAnswers(convId: string, surveyId: string, answers: CorrectAnswers['answers'], opts?: RequestOptions): Promise<SurveyResponse> {
    return this.#t.request({
      method: 'PATCH', path: `/v1/conversations/${encodeURIComponent(convId)}/surveys/${encodeURIComponent(surveyId)}/answers`, body: { answers },
    }, opts)
  }

  /** The agents' internal notes of a conversation, oldest first (the brand's copy; the visitor never gets them). */
  async notes(convId: string, opts?: RequestOptions): Promise<Note[]> {
    const list = await this.#t.request<NoteList>({ method: 'GET', path: `/v1/conversations/${encodeURIComponent(convId)}/notes` }, opts)
    return list.notes
  }

  /** The brand's export of a conversation: its header, every message, internal note and survey answer, in one document. */
  transcript(convId: string, opts?: RequestOptions): Promise<Transcript> {
    return readTranscript({
      retrieve: () => this.retrieve(convId, opts),
      messages: () => this.messages(convId, {}, opts),
      notes: () => this.notes(convId, opts),
      responses: () => this.responses(convId, opts),
    })
  }
}
