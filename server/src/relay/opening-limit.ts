import type { RelayContext } from './context.js'
import { addressKey } from '../address-key.js'
import { afterTake, type Take } from './shared-buckets.js'

// How many conversations visitors may open a minute: per visitor, and per brand and IP address (a
// flood of fresh visitor identities comes from few addresses; an IPv6 /64 counts as one). The
// address count is per brand so that one brand's visitors behind a NAT don't use up another's. Whether a message opens a conversation is
// known only once it commits, so a message that may open one takes a token from both buckets
// first, and the tokens go back if it turned out to write to an existing conversation.

/** A taken opening, to give back with `release` if the message opened nothing. */
export interface Opening {
  visitorKey: string
  addressBucket: string
}

/** What taking an opening answers. */
export type OpeningTake =
  | { ok: true; opening: Opening }
  | { ok: false; args: [string, number, number]; retryAfterMs: number }

/** Takes an opening for a visitor at `ip`, or says which limit refused and when to retry (a promise when the buckets are shared). */
export function takeOpening(ctx: RelayContext, brandId: string, visitorId: string, ip: string, now: number): OpeningTake | Promise<OpeningTake> {
  const { byVisitor, byIp } = ctx.openings
  const visitorKey = `${brandId}/${visitorId}`
  const addressBucket = `${brandId}\n${addressKey(ip)}`
  return afterTake(byVisitor.take(visitorKey, now), (v: Take): OpeningTake | Promise<OpeningTake> => {
    if (!v.ok) return { ok: false, args: ['visitor', ctx.limits.visitorConversationsPerMinute, v.retryAfterMs], retryAfterMs: v.retryAfterMs }
    return afterTake(byIp.take(addressBucket, now), (a: Take): OpeningTake => {
      if (a.ok) return { ok: true, opening: { visitorKey, addressBucket } }
      byVisitor.refund(visitorKey)
      return { ok: false, args: ['address', ctx.limits.ipConversationsPerMinute, a.retryAfterMs], retryAfterMs: a.retryAfterMs }
    })
  })
}

/** Gives an opening back: the message wrote to a conversation that existed, or was refused. */
export function releaseOpening(ctx: RelayContext, opening: Opening): void {
  ctx.openings.byVisitor.refund(opening.visitorKey)
  ctx.openings.byIp.refund(opening.addressBucket)
}
