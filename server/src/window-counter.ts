// A port: request counts in fixed windows, shared by the relay's nodes (Redis in a cluster,
// cluster/redis-window-counter.ts). The REST rate limits count on it (plugins/rest/rate-limit-store.ts).

/** A request count in a fixed window, and what is left of the window. */
export interface WindowCount { current: number; ttlMs: number }

/** Counts requests per key in fixed windows shared by the nodes. */
export interface WindowCounter {
  /** Counts one request for `key`; a new window of `windowMs` starts when none is running. */
  incr(key: string, windowMs: number): Promise<WindowCount>
}
