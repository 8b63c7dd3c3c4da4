// The intended send time of every unacked message, by conversation and message number: one
// growable Float64Array per conversation instead of a Map keyed by id string, so a send and its
// ack allocate nothing. Message numbers start at 1 and only grow within a run.

const NOT_PENDING = -1
const INITIAL_SLOTS = 1024

/** A table of `conversations` rows; intended times are performance.now() values (never negative). */
export function createPendingSends(conversations) {
  const rows = Array.from({ length: conversations }, () => new Float64Array(INITIAL_SLOTS).fill(NOT_PENDING))
  let size = 0
  return {
    /** How many messages are sent and not yet acked. */
    get size() {
      return size
    },
    /** Records message `n` of conversation `i` as sent, intended at `intendedMs`. */
    add(i, n, intendedMs) {
      let row = rows[i]
      if (n >= row.length) {
        const grown = new Float64Array(Math.max(row.length * 2, n + 1)).fill(NOT_PENDING)
        grown.set(row)
        rows[i] = row = grown
      }
      if (row[n] === NOT_PENDING) size++
      row[n] = intendedMs
    },
    /** Removes message `n` of conversation `i`; its intended time, or -1 if it was not pending. */
    take(i, n) {
      const row = rows[i]
      if (n < 0 || n >= row.length || row[n] === NOT_PENDING) return NOT_PENDING
      const intended = row[n]
      row[n] = NOT_PENDING
      size--
      return intended
    },
    /** Calls `fn(intendedMs)` for every pending message (after a run: not on the hot path). */
    forEach(fn) {
      for (const row of rows) for (const t of row) if (t !== NOT_PENDING) fn(t)
    },
  }
}
