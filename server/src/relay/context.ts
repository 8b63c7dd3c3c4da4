import type { FastifyBaseLogger } from 'fastify'
import type { WebSocket } from 'ws'
import type { ErrorCode, Limits, Role } from '@parley/sdk/contract'
import type { TokenSigner } from '../auth/tokens.js'
import type { Deps } from '../deps.js'
import type { Committer } from './committer.js'
import type { Fanout } from './fanout.js'
import type { PipelineStep } from './pipeline.js'
import type { BrandMaskers } from '../masking/brand-maskers.js'
import type { SenderTails } from './sender-tails.js'
import type { SharedBuckets } from './shared-buckets.js'
import type { WriteBatch } from './write-batch.js'
import type { SharedStrings } from './shared-strings.js'
import type { StatusBoard } from '../agents/status-board.js'
import type { AuditLog } from '../audit/audit-log.js'
import type { SecuritySettings } from '../auth/security-settings.js'
import type { Principal } from '../auth/policy.js'
import type { QueueAnnouncer } from '../waiting/queue-announcer.js'
import type { IdentityVerifier } from '../identity/identity-verifier.js'
import type { WebhookEvents } from '../webhooks/webhook-events.js'
import type { TrackingSettings } from '../data-rights/tracking-settings.js'

/** What every live session of one relay shares. */
export interface RelayContext {
  deps: Deps
  limits: Limits
  signer: TokenSigner
  committer: Committer
  fanout: Fanout
  pipeline: readonly PipelineStep[]
  /** Each brand's masking configuration, compiled (the pipeline's steps are handed the sender's brand's). */
  maskers: BrandMaskers
  /** Each sender's last message tail per conversation, for values split across messages. */
  senderTails: SenderTails
  /** Per-visitor message buckets, shared by all of a visitor's connections (on every node when clustered). */
  visitorBuckets: SharedBuckets
  /** New conversations a minute, per visitor (`brandId/visitorId`) and per IP address, shared by all connections (of every node when clustered). */
  openings: { byVisitor: SharedBuckets; byIp: SharedBuckets }
  log: FastifyBaseLogger
  /** Coalesces the writes of one commit's acks and fan-out. */
  writes: WriteBatch
  /** Visitors' context strings, each kept once however many connections hold it. */
  sharedStrings: SharedStrings
  /** Every open live session of this relay. */
  sessions: Set<OpenSession>
  /** Agents' availability: presence counts, and the agent.status frames announcing changes. */
  board: StatusBoard
  /** Tells waiting visitors their place in the queue. */
  queue: QueueAnnouncer
  /** The brands' audit logs: sign-ins, transcript reads, denials (audit/audit-log.ts). */
  audit: AuditLog
  /** The brands' security settings (cached; addresses, identity verification, customer history). */
  security: SecuritySettings
  /** The brands' tracking settings (cached; what consented-context.ts asks on every visitor context). */
  tracking: TrackingSettings
  /** Verifies the identity tokens brands sign for their customers (visitor.identify). */
  identity: IdentityVerifier
  /** Queues webhook events the bus does not carry (survey answers, offline forms); absent: none are sent. */
  webhooks?: Pick<WebhookEvents, 'emit'>
}

/** What heartbeats, shutdown and session revocation need of an open live session. */
export interface OpenSession {
  readonly ws: WebSocket
  /** The brand the connection serves ('' until its hello was accepted). */
  readonly brandId: string
  /** Whether its hello was accepted: `principal` and `sessionId` are set from then on. */
  readonly isAuthenticated: boolean
  readonly principal: Principal
  /** The agent session or visitor session (`sid`) its token belongs to; null when the token names none. */
  readonly sessionId: string | null
  /** Takes an agent's role as re-read from the store. */
  setRole(role: Role): void
  /** Whether the connection answered since the last heartbeat; resets the flag for the next one. */
  checkAlive(): boolean
  /** Stops taking frames (shutdown). */
  quiesce(): void
  /** Sends a typed error and closes with the table's close code. */
  fail(code: ErrorCode, args: readonly unknown[]): void
}
