// The transcripts view's search form as a GET /v1/conversations query. Pure: the form holds strings
// as typed; this turns them into the relay's filters and leaves out what is empty.

/** What the agent typed or picked in the search form. */
export interface TranscriptFilters {
  text: string
  visitorId: string
  /** An agent id, or '' for any agent. */
  agentId: string
  topic: string
  /** `YYYY-MM-DD` from a date input, in the agent's own time zone, or ''. Both days are included. */
  from: string
  to: string
  /** '1'…'5', or '' for no bound. */
  csatMin: string
  csatMax: string
}

/** An empty form: every conversation, open and closed. */
export const NO_FILTERS: TranscriptFilters = { text: '', visitorId: '', agentId: '', topic: '', from: '', to: '', csatMin: '', csatMax: '' }

/** Results per page. */
export const TRANSCRIPT_PAGE = 25

/** Midnight starting `day` (`YYYY-MM-DD`) in the browser's time zone, `days` later; null when it is not a date. */
function localMidnight(day: string, days = 0): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day)
  if (!m) return null
  const at = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days).getTime()
  return Number.isFinite(at) && at >= 0 ? at : null
}

/** The query string for `filters`, the page after `before` (null: the first). */
export function transcriptQuery(filters: TranscriptFilters, before: string | null = null): URLSearchParams {
  const p = new URLSearchParams({ limit: String(TRANSCRIPT_PAGE) })
  const set = (key: string, value: string | number | null) => { if (value !== null && value !== '') p.set(key, String(value)) }
  set('q', filters.text.trim())
  set('visitorId', filters.visitorId.trim())
  set('agentId', filters.agentId)
  set('topic', filters.topic.trim().toLowerCase())
  set('from', filters.from ? localMidnight(filters.from) : null)
  // The day picked as "to" is included: the range ends at the next midnight.
  set('to', filters.to ? localMidnight(filters.to, 1) : null)
  set('csatMin', filters.csatMin)
  set('csatMax', filters.csatMax)
  set('before', before)
  return p
}
