import { randomBytes } from 'node:crypto'
import type { Bus } from './bus/bus.js'
import type { Store } from './store/store.js'
import type { Presence } from './agents/presence.js'
import type { BlobStore } from './attachments/blob-store.js'
import type { BucketsFactory } from './relay/shared-buckets.js'
import type { BrandLocks } from './routing/brand-locks.js'
import type { WindowCounter } from './window-counter.js'

/** Wall-clock time, injected so tests can move it. */
export interface Clock {
  now(): number
}

/** Id generation, injected so tests can make ids predictable. */
export interface Ids {
  /** A new random id with `prefix`, e.g. `v_3kT…` (URL-safe, 128 bits). */
  next(prefix: string): string
}

/** Everything the relay talks to; only the composition root (cli.ts) picks real implementations. */
export interface Deps {
  store: Store
  bus: Bus
  clock: Clock
  ids: Ids
  /** Secret for signing visitor and agent tokens, at least 32 bytes. */
  tokenSecret: Buffer
  /** Checks an agent password against its stored hash; scrypt (auth/passwords.ts) when left out. */
  verifyPassword?: (password: string, stored: string) => Promise<boolean>
  /** Live connections per agent (online or offline); in-process (one node) when left out. */
  presence?: Presence
  /** The per-visitor and per-address limits' buckets (messages, openings); in this node's memory when left out. */
  buckets?: BucketsFactory
  /** Locks each brand's routing passes across nodes; given only when clustered (it also turns on the sweep of a dead node's offers). */
  locks?: BrandLocks
  /** Where the REST rate limits (per IP, uploads, logins) count, shared by the nodes; in this node's memory when left out. */
  rateLimitCounter?: WindowCounter
  /** Where attachment bytes live (data directory or S3); without one, uploads and downloads answer PARLEY_ERR_ATTACHMENT_STORE. */
  blobs?: BlobStore
  /** The erasure ledger consent withdrawals are written to (buildApp sets it from RelayOptions.erasureLedger); none when left out. */
  erasureLedger?: string | null
}

/** The real clock. */
export const systemClock: Clock = { now: () => Date.now() }

/** Random ids from the OS's CSPRNG. */
export const randomIds: Ids = { next: (prefix) => prefix + randomBytes(16).toString('base64url') }
