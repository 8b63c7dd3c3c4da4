import type { Report, ReportGrouping } from '../../contract/reports.js'
import type { RequestOptions, Transport } from '../request.js'

/** What `parley.reports.get` asks for: a period of UTC days, both included (at most 366), and a grouping. */
export interface ReportRequest {
  /** The first day: `YYYY-MM-DD`, or a Date (its UTC day). */
  from: string | Date
  /** The last day, included. */
  to: string | Date
  /** `day` (default: every day of the period, empty ones zero), `agent` or `topic`. */
  groupBy?: ReportGrouping
}

const utcDay = (d: string | Date): string => (typeof d === 'string' ? d : d.toISOString().slice(0, 10))

/** `parley.reports`: aggregate figures of the brand's chats and post-chat answers, with no personal data. */
export class ReportsResource {
  readonly #t: Transport
  constructor(transport: Transport) {
    this.#t = transport
  }

  /**
   * Chats, offline messages, response rate, CSAT, NPS and first response for the conversations
   * opened in the period, a row per day, agent or topic, and the total. A period whose start is
   * after its end, or longer than 366 days, fails with InvalidRequestError PARLEY_ERR_REPORT_RANGE.
   */
  get(query: ReportRequest, opts?: RequestOptions): Promise<Report> {
    return this.#t.request({
      method: 'GET', path: '/v1/reports',
      query: { from: utcDay(query.from), to: utcDay(query.to), groupBy: query.groupBy },
    }, opts)
  }
}
