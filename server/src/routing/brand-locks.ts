// Routing passes of one brand must not run at once, or two could each give one agent a chat past
// their capacity. On one node BrandPasses already runs a brand's passes one at a time; with several
// nodes each pass also holds the brand's lease, shared through Redis (cluster/redis-locks.ts).
// A lease can be lost while its pass still runs (a renewal failed, Redis stalled): the pass hears it
// through the signal and stops before its next offer, so it never runs beside another node's pass.

/** Mutual exclusion per brand across the relay's nodes. */
export interface BrandLocks {
  /**
   * Runs `job` while holding the brand's lock; rejects, without running it, if the lock can't be
   * had (LeaseRefusedError when another node holds it). `signal` aborts once the lock is lost.
   */
  hold<T>(brandId: string, job: (signal: AbortSignal) => Promise<T>): Promise<T>
}

/**
 * The brand's lease could not be had: another node held it too long, or Redis did not answer.
 * Expected (contention, an outage logged elsewhere), not a bug: the pass runs again later.
 */
export class LeaseRefusedError extends Error {
  readonly reason: 'held' | 'unreachable'
  constructor(brandId: string, reason: 'held' | 'unreachable', cause?: unknown) {
    super(reason === 'held' ? `brand ${brandId}: lease still held by another node` : `brand ${brandId}: lease store unreachable`, { cause })
    this.name = 'LeaseRefusedError'
    this.reason = reason
  }
}

const NEVER_ABORTED = new AbortController().signal

/** One node: BrandPasses serialises a brand's passes already, so the lock is free and never lost. */
export const inProcessLocks: BrandLocks = {
  hold: (_brandId, job) => job(NEVER_ABORTED),
}
