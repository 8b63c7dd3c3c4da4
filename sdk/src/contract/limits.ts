/**
 * Limits the relay enforces, with their defaults. Each is configurable on the relay (CLI flag or
 * `PARLEY_*` environment variable; see docs/operations.md); the ones a client must respect are
 * announced in `welcome`.
 */
export interface Limits {
  /** Largest WebSocket frame accepted, in bytes. Larger frames get PARLEY_ERR_FRAME_TOO_LARGE. */
  maxFrameBytes: number
  /** Longest message text, in characters (UTF-16 code units). */
  maxTextLength: number
  /** Messages per second one connection may send (token bucket, burst of twice the rate). */
  messagesPerSecond: number
  /** Messages per second one visitor may send across all their connections. */
  visitorMessagesPerSecond: number
  /** Frames of any kind per second on one connection (typing, read, ping floods). */
  framesPerSecond: number
  /** Rejected frames in a row after which the relay closes the connection (PARLEY_ERR_LIMIT_FLOOD). */
  floodCloseAfter: number
  /** Open WebSocket connections per client IP address. */
  connectionsPerIp: number
  /** Bytes queued for one slow reader before the relay drops it (PARLEY_ERR_LIMIT_SLOW_CONSUMER). */
  sendQueueBytes: number
  /** Lifetime of a visitor token, in seconds; every welcome hands out a fresh one. */
  visitorTokenTtlSeconds: number
  /** Lifetime of an agent session token, in seconds. */
  agentTokenTtlSeconds: number
  /** Interval between heartbeat pings, in ms; a connection that answers nothing for a whole interval after a ping is dropped. */
  heartbeatMs: number
  /** Time allowed between the upgrade and the hello frame, in ms. */
  helloTimeoutMs: number
  /** New conversations one visitor may open per minute (PARLEY_ERR_LIMIT_CONVERSATIONS). */
  visitorConversationsPerMinute: number
  /** New conversations one brand's visitors at one IP address (an IPv6 /64 counts as one) may open per minute (PARLEY_ERR_LIMIT_CONVERSATIONS). */
  ipConversationsPerMinute: number
  /** Conversations one resume frame may list. */
  maxResumeConversations: number
  /** Messages replayed per conversation per resume; the client asks again when `more` is set. */
  replayBatch: number
  /** REST requests per minute from one client IP address, across every /v1 route (PARLEY_ERR_LIMIT_RATE). */
  restRequestsPerMinute: number
  /** Agent login attempts per minute for one brand and e-mail, right or wrong, before any password is checked. */
  agentLoginsPerMinute: number
  /** Agent login attempts per minute from one client address (an IPv6 /64 counts as one), whichever accounts they name; counted before the per-account limit. */
  agentLoginsPerIpPerMinute: number
  /** Password checks (scrypt, 32 MiB each while it runs) running at once; more wait in a queue. */
  passwordChecksInFlight: number
  /** Password checks waiting for a slot; beyond this a login is refused with PARLEY_ERR_LIMIT_BUSY. */
  passwordChecksQueued: number
  /** Seconds browsers may reuse a brand's public widget config (Cache-Control max-age): a change shows on every page load after at most this long. */
  siteConfigMaxAgeSeconds: number
  /** How often widgets ask for the brand's public availability, in ms (its `pollMs`): an agent going away reaches a widget within this plus 1 s. */
  availabilityPollMs: number
  /** Requests per minute to the public availability from one client address (an IPv6 /64 counts as one); counted apart from restRequestsPerMinute, since every visible page polls it. */
  availabilityRequestsPerMinute: number
}

/** The defaults, documented in docs/operations.md. */
export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxFrameBytes: 64 * 1024,
  maxTextLength: 4000,
  messagesPerSecond: 10,
  visitorMessagesPerSecond: 20,
  framesPerSecond: 50,
  floodCloseAfter: 50,
  connectionsPerIp: 50,
  sendQueueBytes: 1024 * 1024,
  visitorTokenTtlSeconds: 30 * 24 * 3600,
  agentTokenTtlSeconds: 12 * 3600,
  heartbeatMs: 25_000,
  helloTimeoutMs: 10_000,
  visitorConversationsPerMinute: 10,
  ipConversationsPerMinute: 30,
  maxResumeConversations: 500,
  replayBatch: 500,
  restRequestsPerMinute: 1200,
  agentLoginsPerMinute: 10,
  agentLoginsPerIpPerMinute: 30,
  passwordChecksInFlight: 4,
  passwordChecksQueued: 32,
  siteConfigMaxAgeSeconds: 60,
  availabilityPollMs: 5000,
  availabilityRequestsPerMinute: 1200,
})

/** Hard ceiling on text in the schema, whatever the configured maxTextLength. */
export const MAX_TEXT_HARD = 32_768
