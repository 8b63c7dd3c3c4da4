import { useEffect, useRef, useState } from 'preact/hooks'
import { useNow } from '../../ui/use-now.js'
import { EXPIRED_SHOWN_MS, MISSED_SHOWN_MS, secondsLeft, shareLeft, type MissedOffer, type Offer } from '../offer-state.js'
import { RoutingBadges } from './routing-badges.js'
import { visitorLabel } from '../visitor-label.js'

/** Props of the offered chats. */
export interface OfferCardsProps {
  offers: Offer[]
  missed: MissedOffer[]
  /** Visitors' names, by conversation id, when the pre-chat answers gave one. */
  names: Record<string, string>
  onAccept: (convId: string) => void
  onDecline: (convId: string) => void
  /** Drops the "Missed" notes shown since before this time. */
  onForgetMissed: (before: number) => void
  /** Drops offers at 0 s for a while (their end was lost with the link). */
  onExpire: (now: number) => void
}

/**
 * Chats the relay offers me, above everything else in the main column: what the visitor wrote, the
 * topic, skill and priority, the seconds left to answer, Accept and Decline. A missed offer says so
 * for a moment.
 */
export function OfferCards({ offers, missed, names, onAccept, onDecline, onForgetMissed, onExpire }: OfferCardsProps) {
  const now = useNow(1000)
  useEffect(() => { if (missed.some((m) => now - m.at > MISSED_SHOWN_MS)) onForgetMissed(now - MISSED_SHOWN_MS) }, [now, missed])
  useEffect(() => { if (offers.some((o) => o.expiresAt + EXPIRED_SHOWN_MS <= now)) onExpire(now) }, [now, offers])
  const who = (o: Offer) => names[o.convId] ?? visitorLabel(o.entry.visitorId)
  // Each new offer is said once by the status line, which is always there so screen readers hear
  // it change; an offer the relay sends again after a reconnect (same expiry) is not new.
  const announced = useRef(new Set<string>())
  const [announcement, setAnnouncement] = useState('')
  useEffect(() => {
    const fresh = offers.filter((o) => !announced.current.has(`${o.convId}:${o.expiresAt}`))
    for (const o of fresh) announced.current.add(`${o.convId}:${o.expiresAt}`)
    if (fresh.length) setAnnouncement(fresh.map((o) => `New chat offered: ${who(o)}, ${secondsLeft(o, Date.now())} seconds to answer.`).join(' '))
  }, [offers])
  return (
    <>
      <p class="sr-only offer-status" role="status">{announcement}</p>
      {offers.length === 0 && missed.length === 0 ? null : <OfferList {...{ offers, missed, now, who, onAccept, onDecline }} />}
    </>
  )
}

/** The offer cards and the "Missed" lines. */
function OfferList({ offers, missed, now, who, onAccept, onDecline }: Pick<OfferCardsProps, 'offers' | 'missed' | 'onAccept' | 'onDecline'> & { now: number; who: (o: Offer) => string }) {
  return (
    <section class="offers" aria-label="Offered chats">
      {offers.map((o) => {
        const left = secondsLeft(o, now)
        return (
          <article key={o.convId} class="offer" data-conv={o.convId} aria-label={`Chat offered: ${who(o)}`}>
            <h2>New chat for you: <bdi>{who(o)}</bdi></h2>
            <RoutingBadges routing={o.entry.routing} />
            <p class="preview" dir="auto">{o.entry.preview || 'Pre-chat form answered'}</p>
            {/* Not a live region: the status line above says the seconds once, as the offer arrives. */}
            <p class="countdown"><span class="secs">{left}</span> s left to answer</p>
            <progress max={1} value={shareLeft(o, now)} aria-hidden="true" />
            <div class="actions">
              <button type="button" class="accept" onClick={() => onAccept(o.convId)}>Accept</button>
              <button type="button" onClick={() => onDecline(o.convId)}>Decline</button>
            </div>
          </article>
        )
      })}
      {missed.map((m) => (
        <p key={`${m.convId}-${m.at}`} class="missed" role="status">Missed: <bdi dir="auto">{m.preview || 'a chat'}</bdi>, offered to the next agent.</p>
      ))}
    </section>
  )
}
