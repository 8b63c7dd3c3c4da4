/** The intended send time of every unacked message, by conversation and message number. */
export interface PendingSends {
  readonly size: number
  add(i: number, n: number, intendedMs: number): void
  take(i: number, n: number): number
  forEach(fn: (intendedMs: number) => void): void
}
/** A table of `conversations` rows. */
export function createPendingSends(conversations: number): PendingSends
