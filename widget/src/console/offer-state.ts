import type { ConversationOffered, Note, OfferOutcome, QueueEntry } from '@parley/sdk/contract'

// Chats the relay offers this agent (automatic routing), the offers they let time out (shown as
// "Missed" for a moment), and the notes colleagues left when they handed a chat on. Pure.

/** How long a missed offer stays on screen as "Missed". */
export const MISSED_SHOWN_MS = 6000

/**
 * How long an offer's card stays at 0 s before it goes on its own: its offer.ended can be lost with
 * the link, and an offer past its time is the relay's to end, not the agent's to answer.
 */
export const EXPIRED_SHOWN_MS = 2000

/** A chat offered to me now: accept before `expiresAt`, or decline. */
export interface Offer {
  convId: string
  entry: QueueEntry
  expiresAt: number
  /** Milliseconds it had to be answered when it arrived (the brand's offer timeout, less the trip). */
  duration: number
}

/** An offer I let time out, shown briefly so the agent knows where it went. */
export interface MissedOffer {
  convId: string
  preview: string
  at: number
}

/** Offers, recent missed ones, and transfer notes. */
export interface OfferDesk {
  offers: Offer[]
  missed: MissedOffer[]
  /** The note a colleague left when handing a chat to me, by conversation id. */
  notes: Record<string, Note>
  /** When each chat was last handed on (assigned or requeued), as far as this console saw. */
  handedAt: Record<string, number>
}

/** Every way the desk changes. */
export type OfferAction =
  /** `at`: when it arrived, so the countdown knows its whole length. */
  | { type: 'offered'; frame: ConversationOffered; at: number }
  | { type: 'ended'; convId: string; outcome: OfferOutcome; at: number }
  /** Drops missed offers shown since before `before`. */
  | { type: 'forget-missed'; before: number }
  | { type: 'note'; convId: string; note: Note }
  /** A chat was assigned or requeued at `at`: a transfer note older than that was for an earlier handover. */
  | { type: 'handed'; convId: string; at: number }
  /** A join's notes: the latest transfer note, if no older than the chat's last handover seen here. */
  | { type: 'joined-notes'; convId: string; notes: readonly Note[] }
  /** The chat left my list: its note goes with it. */
  | { type: 'forget'; convId: string }
  /** The link (re)opened: offers shown are void; the relay offers again what is still offered to me. */
  | { type: 'reset' }
  /** Drops offers at 0 s for EXPIRED_SHOWN_MS by `now`. */
  | { type: 'expire'; now: number }

/** The desk before any offer. */
export const EMPTY_DESK: OfferDesk = { offers: [], missed: [], notes: {}, handedAt: {} }

/** The next desk; an unchanged desk is the same object. */
export function reduceOffers(s: OfferDesk, a: OfferAction): OfferDesk {
  switch (a.type) {
    case 'offered': {
      const { convId, entry, expiresAt } = a.frame
      const known = s.offers.find((o) => o.convId === convId)
      if (known && known.expiresAt === expiresAt) return s
      // Soonest to expire first: that is the one to answer.
      const offers = [...s.offers.filter((o) => o.convId !== convId), { convId, entry, expiresAt, duration: Math.max(1, expiresAt - a.at) }].sort((x, y) => x.expiresAt - y.expiresAt)
      return { ...s, offers, missed: s.missed.filter((m) => m.convId !== convId) }
    }
    case 'ended': {
      const gone = s.offers.find((o) => o.convId === a.convId)
      if (!gone) return s
      const offers = s.offers.filter((o) => o.convId !== a.convId)
      const missed = a.outcome === 'timeout' ? [...s.missed, { convId: a.convId, preview: gone.entry.preview, at: a.at }] : s.missed
      return { ...s, offers, missed }
    }
    case 'forget-missed': {
      const missed = s.missed.filter((m) => m.at >= a.before)
      return missed.length === s.missed.length ? s : { ...s, missed }
    }
    case 'note':
      return s.notes[a.convId]?.noteId === a.note.noteId ? s : { ...s, notes: { ...s.notes, [a.convId]: a.note } }
    case 'handed':
      return (s.handedAt[a.convId] ?? -1) >= a.at ? s : { ...s, handedAt: { ...s.handedAt, [a.convId]: a.at } }
    case 'joined-notes': {
      const note = a.notes.filter((n) => n.transfer).at(-1)
      if (!note || note.at < (s.handedAt[a.convId] ?? -Infinity)) return s
      return reduceOffers(s, { type: 'note', convId: a.convId, note })
    }
    case 'forget': {
      if (!(a.convId in s.notes) && !(a.convId in s.handedAt)) return s
      const { [a.convId]: _note, ...notes } = s.notes
      const { [a.convId]: _at, ...handedAt } = s.handedAt
      return { ...s, notes, handedAt }
    }
    case 'reset':
      return s.offers.length === 0 ? s : { ...s, offers: [] }
    case 'expire': {
      const offers = s.offers.filter((o) => o.expiresAt + EXPIRED_SHOWN_MS > a.now)
      return offers.length === s.offers.length ? s : { ...s, offers }
    }
  }
}

/** The share of its time `offer` has left at `now`, from 1 as it arrived to 0 once expired. */
export function shareLeft(offer: Offer, now: number): number {
  return Math.min(1, Math.max(0, (offer.expiresAt - now) / offer.duration))
}

/** Whole seconds left to answer `offer` at `now` (0 once expired). */
export function secondsLeft(offer: Offer, now: number): number {
  return Math.max(0, Math.ceil((offer.expiresAt - now) / 1000))
}
