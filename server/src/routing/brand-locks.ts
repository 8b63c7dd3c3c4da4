// Routing passes of one brand must not run at once, or two could each give one agent a chat past
// their capacity. On one node BrandPasses already runs a brand's jobs one at a time; with several
// nodes each job also holds the brand's lease, shared through Redis (cluster/redis-locks.ts).

/** Mutual exclusion per brand across the relay's nodes. */
export interface BrandLocks {
  /** Runs `job` while holding the brand's lock; rejects, without running it, if the lock can't be had. */
  hold<T>(brandId: string, job: () => Promise<T>): Promise<T>
}

/** One node: BrandPasses serialises a brand's jobs already, so the lock is free. */
export const inProcessLocks: BrandLocks = {
  hold: (_brandId, job) => job(),
}
