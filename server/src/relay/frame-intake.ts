import type { ClientFrame, ErrorCode, Participant } from '@parley/sdk/contract'
import type { RelayContext } from './context.js'
import { parseClientFrame } from './frame-parser.js'
import { TokenBucket } from './rate-limiter.js'
import type { Take } from './shared-buckets.js'
import { refOf } from './with-ref.js'

// The per-connection limits on what arrives: a frame must parse, and frames and messages are rate
// limited per connection (and a visitor's messages across all their connections).

/** Why a frame was not let in; the caller answers with this typed error. */
export class Refusal {
  constructor(
    readonly code: ErrorCode,
    readonly args: readonly unknown[],
    readonly ref?: string,
    readonly retryAfterMs?: number,
  ) {}
}

/** A visitor's message waiting for the shared limit's answer (Redis); `ref` answers it if it can't wait. */
export class PendingTake {
  constructor(
    readonly ref: string,
    readonly answer: Promise<ClientFrame | Refusal>,
  ) {}
}

/** One connection's parsing and rate limits. */
export class FrameIntake {
  readonly #ctx: RelayContext
  readonly #frames: TokenBucket
  /**
   * Made on the first message: an idle visitor's connection never sends one, and a new bucket is
   * full, as one made when the connection opened would be by then.
   */
  #messages: TokenBucket | null = null

  constructor(ctx: RelayContext, now: number) {
    this.#ctx = ctx
    this.#frames = TokenBucket.create(ctx.limits.framesPerSecond, now)
  }

  /**
   * Parses and rate-limits one received frame of `who` in `brandId` (both unknown before hello).
   * An accepted frame is returned as it is, so the common case allocates nothing here. A visitor's
   * message answers later (PendingTake) when the visitor's bucket is shared between nodes.
   */
  take(data: Buffer, isBinary: boolean, who: Participant | undefined, brandId: string, now: number): ClientFrame | Refusal | PendingTake {
    const { limits, visitorBuckets } = this.#ctx
    const parsed = parseClientFrame(data, isBinary, limits.maxFrameBytes)
    if (!parsed.ok) return new Refusal(parsed.code, parsed.args, parsed.ref)
    const frame = parsed.frame
    const limited = this.#frames.take(now)
    if (!limited.ok) {
      return new Refusal('PARLEY_ERR_LIMIT_RATE', [limits.framesPerSecond, limited.retryAfterMs], refOf(frame), limited.retryAfterMs)
    }
    if (frame.type === 'message.send') {
      const m = (this.#messages ??= TokenBucket.create(limits.messagesPerSecond, now)).take(now)
      if (!m.ok) return new Refusal('PARLEY_ERR_LIMIT_RATE', [limits.messagesPerSecond, m.retryAfterMs], frame.clientMsgId, m.retryAfterMs)
      if (who?.kind === 'visitor') {
        // The key is made per message rather than kept: an idle connection need not hold it.
        const v = visitorBuckets.take(`${brandId}/${who.id}`, now)
        return v instanceof Promise ? new PendingTake(frame.clientMsgId, v.then((t) => this.#visitorTaken(frame, t))) : this.#visitorTaken(frame, v)
      }
    }
    return frame
  }

  #visitorTaken(frame: ClientFrame & { type: 'message.send' }, v: Take): ClientFrame | Refusal {
    if (v.ok) return frame
    return new Refusal('PARLEY_ERR_LIMIT_RATE', [this.#ctx.limits.visitorMessagesPerSecond, v.retryAfterMs], frame.clientMsgId, v.retryAfterMs)
  }
}
