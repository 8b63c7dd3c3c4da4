import type {
  AgentList, AgentPresence, AgentSettings, AgentPresenceList, AgentSession, Conversation, ConversationPage, ErrorBody, MaskingConfig, MessagePage, Report, ReportQuery, RoutingConfig, RuleStats, RulesConfig, SetAgentStatus,
  NoteList, Survey, SupervisorView, SurveyResponseList, SurveysConfig, CannedReply, CannedReplyInput, CannedReplyList, CannedReplyPatch,
} from '@parley/sdk/contract'
import { transcriptQuery, type TranscriptFilters } from './transcript-query.js'

// The console's REST calls, on the relay's own origin. Errors arrive as typed bodies and are
// thrown as ApiError with their code, so views branch on the code, never on the text.

/** A REST failure with the relay's error code. */
export class ApiError extends Error {
  readonly code: string
  readonly status: number
  /** Seconds the relay asks to wait before trying again (its Retry-After), when it said. */
  readonly retryAfter: number | null
  constructor(status: number, body: Partial<ErrorBody>, retryAfter: number | null = null) {
    super(body.message ?? `Request failed (${status})`)
    this.code = body.code ?? 'PARLEY_ERR_SERVER_INTERNAL'
    this.status = status
    this.retryAfter = retryAfter
  }
}

/** Retry-After in seconds; the relay sends seconds, never an HTTP date. */
function retryAfterSeconds(header: string | null): number | null {
  const s = header === null ? NaN : Number(header)
  return Number.isFinite(s) && s >= 0 ? s : null
}

export async function call<T>(path: string, init: RequestInit & { token?: string } = {}): Promise<T> {
  const headers: Record<string, string> = {}
  if (init.token) headers.authorization = `Bearer ${init.token}`
  if (init.body) headers['content-type'] = 'application/json'
  let res: Response
  try {
    res = await fetch(path, { ...init, headers, credentials: 'omit' })
  } catch {
    throw new ApiError(0, { code: 'PARLEY_ERR_CONNECTION_LOST', message: 'The relay could not be reached' })
  }
  const body = (await res.json().catch(() => ({}))) as unknown
  if (!res.ok) throw new ApiError(res.status, body as Partial<ErrorBody>, retryAfterSeconds(res.headers.get('retry-after')))
  return body as T
}

/** Logs an agent in. */
export function login(brandId: string, email: string, password: string): Promise<AgentSession> {
  return call('/v1/agent/sessions', { method: 'POST', body: JSON.stringify({ brandId, email, password }) })
}

/**
 * Signs out on the relay: the session is revoked there, on every node, before the console forgets
 * its token. Gives up after `timeoutMs` (an unreachable relay must not keep the agent signed in here).
 */
export async function signOut(token: string, timeoutMs = 5000): Promise<void> {
  await call('/v1/agent/sessions/current', { method: 'DELETE', token, signal: AbortSignal.timeout(timeoutMs) })
}

/** The brand's agents (to hand a chat to). */
export function agents(token: string): Promise<AgentList> {
  return call('/v1/agents', { token })
}

/** The brand's masking configuration ({} when it never saved one: the defaults apply). */
export function masking(token: string): Promise<MaskingConfig> {
  return call('/v1/masking', { token })
}

/** Conversations, open and closed, newest first, narrowed by the transcripts view's search form. */
export function searchTranscripts(token: string, filters: TranscriptFilters, before: string | null = null): Promise<ConversationPage> {
  return call(`/v1/conversations?${transcriptQuery(filters, before)}`, { token })
}

/** A visitor's conversations, newest first (their earlier conversations beside a chat). */
export function visitorConversations(token: string, visitorId: string, limit: number, before: string | null = null): Promise<ConversationPage> {
  const p = new URLSearchParams({ visitorId, limit: String(limit) })
  if (before) p.set('before', before)
  return call(`/v1/conversations?${p}`, { token })
}

/** One page of a transcript. */
export function transcript(token: string, convId: string, afterSeq = 0): Promise<MessagePage> {
  return call(`/v1/conversations/${encodeURIComponent(convId)}/messages?afterSeq=${afterSeq}&limit=500`, { token })
}

/** One conversation as stored: where it came from (`origin`) and, for an offline message, its contact. */
export function conversation(token: string, convId: string): Promise<Conversation> {
  return call(`/v1/conversations/${encodeURIComponent(convId)}`, { token })
}

/** The brand's deployment rules, for their names beside the counts. */
export function rules(token: string): Promise<RulesConfig> {
  return call('/v1/rules', { token })
}

/** What each rule showed over the last `days` UTC days: counts per rule, rollout arm and day. */
export function ruleStats(token: string, days: number): Promise<RuleStats> {
  return call(`/v1/rules/stats?days=${days}`, { token })
}

/** The brand's report for a period of UTC days, by day, agent or topic. */
export function report(token: string, q: ReportQuery): Promise<Report> {
  const p = new URLSearchParams({ from: q.from, to: q.to, groupBy: q.groupBy ?? 'day' })
  return call(`/v1/reports?${p}`, { token })
}

/** Every agent's availability: status, open chats and capacity. */
export function presence(token: string): Promise<AgentPresenceList> {
  return call('/v1/agents/presence', { token })
}

/** Sets my own status and/or idle minutes; answers my availability as it now is. */
export function setStatus(token: string, body: SetAgentStatus): Promise<AgentPresence> {
  return call('/v1/agent/status', { method: 'PUT', token, body: JSON.stringify(body) })
}

/** The brand's surveys and which runs where (agents may read it: "Send survey" needs a post-chat survey). */
export function surveys(token: string): Promise<SurveysConfig> {
  return call('/v1/surveys', { token })
}

/** One version of a survey as it was saved, so old answers read by their option labels. */
export function surveyVersion(token: string, surveyId: string, version: number): Promise<Survey> {
  return call(`/v1/surveys/${encodeURIComponent(surveyId)}/versions/${version}`, { token })
}

/** A conversation's internal notes, oldest first (agents and the brand's key only). */
export function conversationNotes(token: string, convId: string): Promise<NoteList> {
  return call(`/v1/conversations/${encodeURIComponent(convId)}/notes`, { token })
}

/** Every survey answered in a conversation, oldest first. */
export function responses(token: string, convId: string): Promise<SurveyResponseList> {
  return call(`/v1/conversations/${encodeURIComponent(convId)}/responses`, { token })
}

/** Canned replies I see: the brand's and my own personal ones, by shortcut. */
export function cannedReplies(token: string): Promise<CannedReplyList> {
  return call('/v1/canned-replies', { token })
}

/** Saves a canned reply (brand-wide or mine). */
export function createCannedReply(token: string, body: CannedReplyInput): Promise<CannedReply> {
  return call('/v1/canned-replies', { method: 'POST', token, body: JSON.stringify(body) })
}

/** Changes a canned reply's shortcut, title or text. */
export function updateCannedReply(token: string, replyId: string, patch: CannedReplyPatch): Promise<CannedReply> {
  return call(`/v1/canned-replies/${encodeURIComponent(replyId)}`, { method: 'PATCH', token, body: JSON.stringify(patch) })
}

/** Deletes a canned reply. */
export async function deleteCannedReply(token: string, replyId: string): Promise<void> {
  await call(`/v1/canned-replies/${encodeURIComponent(replyId)}`, { method: 'DELETE', token })
}

/** My notification settings (the defaults until I change them). */
export function agentSettings(token: string): Promise<AgentSettings> {
  return call('/v1/agent/settings', { token })
}

/** Saves my notification settings. */
export function saveAgentSettings(token: string, body: AgentSettings): Promise<AgentSettings> {
  return call('/v1/agent/settings', { method: 'PUT', token, body: JSON.stringify(body) })
}

/** The brand's routing settings (agents may read them): manual or automatic, and the offer timeout. */
export function routing(token: string): Promise<RoutingConfig> {
  return call('/v1/routing', { token })
}

/** The brand's floor: agents, offers, missed offers today, the queue with waiting times. */
export function supervisor(token: string): Promise<SupervisorView> {
  return call('/v1/supervisor', { token })
}
