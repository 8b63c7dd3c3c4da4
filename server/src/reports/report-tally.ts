import type { ReportRow } from '@parley/sdk/contract'

// The figures of one report row, counted from facts about conversations and post-chat answers.
// Pure: the store reads the facts, this adds them up. Nothing here names a visitor or quotes an
// answer: a row is counts, averages and durations.

/** What a report counts about one conversation. */
export interface ChatFacts {
  origin: 'chat' | 'offline'
  closed: boolean
  /** Whether it has a post-chat answer. */
  answered: boolean
  /** Ms from its opening to the first agent message; null: no agent wrote. */
  firstResponseMs: number | null
}

/** The scores of one post-chat answer (null: the survey has no such field, or it was skipped). */
export interface AnswerScores {
  csat: number | null
  nps: number | null
}

/** `n` rounded to `places` decimals. */
function round(n: number, places: number): number {
  const f = 10 ** places
  return Math.round(n * f) / f
}

/** The middle of `sorted` (the mean of the two middles for an even count); null when empty. */
function median(sorted: readonly number[]): number | null {
  if (sorted.length === 0) return null
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/**
 * One row's running counts. Response rate and first response are over live chats (origin `chat`):
 * an offline message is answered by e-mail, and no post-chat survey is shown for it. Averages are
 * rounded for reading: CSAT to 2 decimals, the NPS score (a percentage) to 1, the response rate
 * (0–1) to 4, durations to 0.1 s.
 */
export class ReportTally {
  #chats = 0
  #offline = 0
  #closed = 0
  #answered = 0
  #csatSum = 0
  readonly #csat = [0, 0, 0, 0, 0]
  #promoters = 0
  #passives = 0
  #detractors = 0
  readonly #firstResponses: number[] = []

  /** Counts one conversation opened in the period. */
  addChat(c: ChatFacts): void {
    this.#chats++
    if (c.origin === 'offline') {
      this.#offline++
      return
    }
    if (c.closed) {
      this.#closed++
      if (c.answered) this.#answered++
    }
    if (c.firstResponseMs !== null) this.#firstResponses.push(Math.max(0, c.firstResponseMs))
  }

  /** Counts one post-chat answer given in a conversation opened in the period. */
  addAnswer(a: AnswerScores): void {
    if (a.csat !== null && a.csat >= 1 && a.csat <= 5) {
      this.#csat[a.csat - 1]!++
      this.#csatSum += a.csat
    }
    if (a.nps !== null && a.nps >= 0 && a.nps <= 10) {
      if (a.nps >= 9) this.#promoters++
      else if (a.nps >= 7) this.#passives++
      else this.#detractors++
    }
  }

  /** The row's figures under `key` and `label`. */
  toRow(key: string | null, label: string): ReportRow {
    const csatCount = this.#csat.reduce((a, b) => a + b, 0)
    const npsCount = this.#promoters + this.#passives + this.#detractors
    const fr = [...this.#firstResponses].sort((a, b) => a - b)
    const med = median(fr)
    return {
      key, label,
      chats: this.#chats, offline: this.#offline, closed: this.#closed, answered: this.#answered,
      responseRate: this.#closed > 0 ? round(this.#answered / this.#closed, 4) : null,
      csat: {
        average: csatCount > 0 ? round(this.#csatSum / csatCount, 2) : null,
        count: csatCount,
        satisfied: this.#csat[3]! + this.#csat[4]!,
        distribution: [...this.#csat],
      },
      nps: {
        score: npsCount > 0 ? round(((this.#promoters - this.#detractors) / npsCount) * 100, 1) : null,
        count: npsCount, promoters: this.#promoters, passives: this.#passives, detractors: this.#detractors,
      },
      firstResponse: {
        medianSec: med === null ? null : round(med / 1000, 1),
        averageSec: fr.length > 0 ? round(fr.reduce((a, b) => a + b, 0) / fr.length / 1000, 1) : null,
        count: fr.length,
      },
    }
  }
}
