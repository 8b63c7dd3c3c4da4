import type { ReportQuery, ReportRow } from '@parley/sdk/contract'
import { ReportTally } from '../reports/report-tally.js'

// The rows of a report by its grouping, for both stores: pure, no database in it. A store reads the
// period's conversations its own way and hands each one here to find the row it counts in.

type ReportGroupBy = NonNullable<ReportQuery['groupBy']>

/** The columns both stores read of a report's conversation (its group, what it counts as). */
export interface ReportChatRow {
  created_at: number
  origin: 'chat' | 'offline'
  status: 'open' | 'closed'
  assigned_agent: string | null
  agent_name: string | null
  topic: string | null
  first_agent_at: number | null
}

const UNASSIGNED = 'Unassigned'
const NO_TOPIC = 'No topic'

/** A report's rows, by group key, created as conversations come (every day of the period up front). */
export class ReportGroups {
  readonly #groupBy: ReportGroupBy
  readonly #groups = new Map<string | null, { label: string; tally: ReportTally }>()

  constructor(groupBy: ReportGroupBy, days: readonly string[]) {
    this.#groupBy = groupBy
    if (groupBy === 'day') for (const day of days) this.#groups.set(day, { label: day, tally: new ReportTally() })
  }

  /** The tally of the row `c` counts in. */
  tallyOf(c: Pick<ReportChatRow, 'created_at' | 'assigned_agent' | 'agent_name' | 'topic'>): ReportTally {
    const key = this.#groupBy === 'day' ? new Date(c.created_at).toISOString().slice(0, 10)
      : this.#groupBy === 'agent' ? c.assigned_agent : c.topic
    let g = this.#groups.get(key)
    if (!g) {
      const label = this.#groupBy === 'agent' ? (c.assigned_agent === null ? UNASSIGNED : c.agent_name ?? c.assigned_agent) : key ?? NO_TOPIC
      g = { label, tally: new ReportTally() }
      this.#groups.set(key, g)
    }
    return g.tally
  }

  /** The rows: days in calendar order; people and topics by name, the chats with none last. */
  rows(): ReportRow[] {
    const rows = [...this.#groups].map(([key, g]) => g.tally.toRow(key, g.label))
    if (this.#groupBy === 'day') return rows
    return rows.sort((a, b) => (a.key === null ? 1 : 0) - (b.key === null ? 1 : 0) || a.label.localeCompare(b.label, 'en'))
  }
}
