import type { Deps } from '../../deps.js'

// A brand's configuration document is read, merged and written by a PATCH: two at once, on two
// relay nodes, would lose one's change. Each write holds the document's lease in the store, which
// every node shares, so it works on SQLite and PostgreSQL alike with or without Redis. The lease is
// an Idempotency-Key row under a caller no client can be (`relay:config-write`): claiming one is
// atomic on both stores ("of two claims at once, one wins") and a running claim older than the
// lease is taken over, so a node that died mid-write holds the document for one lease at most.

/** How long a write holds its document before another node may take it over (it died mid-write). */
export const CONFIG_WRITE_LEASE_MS = 30_000

/** The Idempotency-Key caller of the leases: not `brand`, `agent:` or `visitor:`, so no request's key is ever one. */
const LEASE_CALLER = 'relay:config-write'

/** Runs `job` while holding the lease of the brand's document at `url`, waiting for another node's write to end. */
export async function holdConfigWrite<R>(deps: Pick<Deps, 'store' | 'clock'>, brandId: string, url: string, job: () => Promise<R>): Promise<R> {
  const scope = { brandId, caller: LEASE_CALLER }
  for (let attempt = 0; ; attempt++) {
    const now = deps.clock.now()
    const c = await deps.store.claimIdempotencyKey(scope, url, 'lease', now, now - CONFIG_WRITE_LEASE_MS, now - CONFIG_WRITE_LEASE_MS)
    if (c.claimed) break
    await new Promise((resolve) => setTimeout(resolve, Math.min(5 * 2 ** Math.min(attempt, 4), 50) * (0.5 + Math.random())))
  }
  try {
    return await job()
  } finally {
    // Left behind if the store fails now: the next write takes it over after the lease.
    await deps.store.releaseIdempotencyKey(scope, url).catch(() => {})
  }
}
