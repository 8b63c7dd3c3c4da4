import { Type, type Static } from '@sinclair/typebox'

// Reports: aggregate numbers about a brand's chats and survey answers, with no personal data in
// them (no visitor, no answer text, no address: counts, averages and distributions). The console
// draws them as charts with the table behind each; the SDK reads them as `parley.reports.get`.

const strict = { additionalProperties: false } as const
const Day = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' })
const Count = Type.Integer({ minimum: 0 })
const MaybeNumber = Type.Union([Type.Number(), Type.Null()])

/** How a report's rows are grouped: by UTC day the chat opened, by the agent it was assigned to, or by topic. */
export const ReportGrouping = Type.Union([Type.Literal('day'), Type.Literal('agent'), Type.Literal('topic')])
export type ReportGrouping = Static<typeof ReportGrouping>

/**
 * GET /v1/reports query: conversations opened from `from` to `to` (UTC days, both included, at most
 * 366 days), grouped by `groupBy` (default `day`).
 */
export const ReportQuery = Type.Object({
  from: Day,
  to: Day,
  groupBy: Type.Optional(ReportGrouping),
}, strict)
export type ReportQuery = Static<typeof ReportQuery>

/**
 * CSAT over the post-chat answers' `csat` fields (1–5): average, how many answered, and how many
 * gave each score (`distribution[0]` is the count of 1s … `[4]` of 5s). `satisfied`: 4s and 5s.
 */
export const CsatFigures = Type.Object({
  average: MaybeNumber,
  count: Count,
  satisfied: Count,
  distribution: Type.Array(Count, { minItems: 5, maxItems: 5 }),
}, strict)
export type CsatFigures = Static<typeof CsatFigures>

/** NPS over the `nps` fields (0–10): promoters (9–10) − detractors (0–6), as a percentage of `count`; null with no answers. */
export const NpsFigures = Type.Object({
  score: MaybeNumber,
  count: Count,
  promoters: Count,
  passives: Count,
  detractors: Count,
}, strict)
export type NpsFigures = Static<typeof NpsFigures>

/** One row of a report: one day, agent or topic (or the whole period, as `total`). */
export const ReportRow = Type.Object({
  /** The day (`YYYY-MM-DD`), the agent id, or the topic; `null` for chats with no agent or no topic. */
  key: Type.Union([Type.String(), Type.Null()]),
  /** For people: the agent's name, or the topic as given. */
  label: Type.String(),
  /** Conversations opened (live chats and offline messages). */
  chats: Count,
  offline: Count,
  /** Closed conversations, and how many of them have a post-chat answer: the response rate's parts. */
  closed: Count,
  answered: Count,
  /** answered / closed, 0–1; null when none closed. */
  responseRate: MaybeNumber,
  csat: CsatFigures,
  nps: NpsFigures,
  /** Seconds from the conversation's opening to the first agent reply, over the live chats that had one. */
  firstResponse: Type.Object({ medianSec: MaybeNumber, averageSec: MaybeNumber, count: Count }, strict),
}, strict)
export type ReportRow = Static<typeof ReportRow>

/** The report: its period, its grouping, a row per group (days in order, with empty days filled in), and the total. */
export const Report = Type.Object({
  from: Day,
  to: Day,
  groupBy: ReportGrouping,
  rows: Type.Array(ReportRow),
  total: ReportRow,
}, strict)
export type Report = Static<typeof Report>
