import type { FastifyBaseLogger } from 'fastify'
import type { Limits } from '@parley/sdk/contract'
import type { TokenSigner } from '../auth/tokens.js'
import type { Deps } from '../deps.js'
import type { Committer } from './committer.js'
import type { Fanout } from './fanout.js'
import type { PipelineStep } from './pipeline.js'
import type { KeyedBuckets } from './rate-limiter.js'
import type { LiveSession } from './session.js'
import type { WriteBatch } from './cork.js'

/** What every live session of one relay shares. */
export interface RelayContext {
  deps: Deps
  limits: Limits
  signer: TokenSigner
  committer: Committer
  fanout: Fanout
  pipeline: readonly PipelineStep[]
  /** Per-visitor message buckets, shared by all of a visitor's connections on this node. */
  visitorBuckets: KeyedBuckets
  log: FastifyBaseLogger
  /** Coalesces the writes of one commit's acks and fan-out. */
  writes: WriteBatch
  /** Every open live session of this relay. */
  sessions: Set<LiveSession>
}
