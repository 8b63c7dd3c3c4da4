import { describe, expect, it } from 'vitest'
import type { ConversationOffered, Note, QueueEntry } from '@parley/sdk/contract'
import { INITIAL, reduce, type ConsoleState } from '../../../widget/src/console/state.js'
import { EMPTY_DESK, EXPIRED_SHOWN_MS, reduceOffers, secondsLeft, shareLeft } from '../../../widget/src/console/offer-state.js'

const entry = (convId: string, preview = 'Hello'): QueueEntry => ({ convId, visitorId: `v-${convId}`, createdAt: 1, lastSeq: 1, preview, routing: { topic: 'billing', skill: 'billing', priority: 'high' } })
const offered = (convId: string, expiresAt: number): ConversationOffered => ({ type: 'conversation.offered', convId, entry: entry(convId), expiresAt })

describe("the console's offered chats", () => {
  it('lists offers soonest to expire first and drops one when it ends', () => {
    let d = reduceOffers(EMPTY_DESK, { type: 'offered', frame: offered('c1', 30_000), at: 0 })
    d = reduceOffers(d, { type: 'offered', frame: offered('c2', 20_000), at: 0 })
    expect(d.offers.map((o) => o.convId)).toEqual(['c2', 'c1'])
    d = reduceOffers(d, { type: 'ended', convId: 'c2', outcome: 'accepted', at: 5 })
    expect(d.offers.map((o) => o.convId)).toEqual(['c1'])
    expect(d.missed).toEqual([])
  })

  it('shows a timed-out offer as missed until it is forgotten', () => {
    let d = reduceOffers(EMPTY_DESK, { type: 'offered', frame: offered('c1', 30_000), at: 0 })
    d = reduceOffers(d, { type: 'ended', convId: 'c1', outcome: 'timeout', at: 31_000 })
    expect(d.offers).toEqual([])
    expect(d.missed).toEqual([{ convId: 'c1', preview: 'Hello', at: 31_000 }])
    expect(reduceOffers(d, { type: 'forget-missed', before: 31_000 })).toBe(d)
    expect(reduceOffers(d, { type: 'forget-missed', before: 31_001 }).missed).toEqual([])
  })

  it('does not call a declined, taken or withdrawn offer missed', () => {
    for (const outcome of ['declined', 'taken', 'withdrawn', 'closed'] as const) {
      const d = reduceOffers(reduceOffers(EMPTY_DESK, { type: 'offered', frame: offered('c1', 30_000), at: 0 }), { type: 'ended', convId: 'c1', outcome, at: 1 })
      expect(d.missed).toEqual([])
    }
  })

  it('changes nothing for an end of an offer it never had, or the same offer twice', () => {
    expect(reduceOffers(EMPTY_DESK, { type: 'ended', convId: 'nope', outcome: 'timeout', at: 1 })).toBe(EMPTY_DESK)
    const d = reduceOffers(EMPTY_DESK, { type: 'offered', frame: offered('c1', 30_000), at: 0 })
    expect(reduceOffers(d, { type: 'offered', frame: offered('c1', 30_000), at: 0 })).toBe(d)
  })

  it('drops every offer when the link opens again, keeping missed ones and notes', () => {
    let d = reduceOffers(EMPTY_DESK, { type: 'offered', frame: offered('c1', 30_000), at: 0 })
    d = reduceOffers(d, { type: 'offered', frame: offered('c2', 40_000), at: 0 })
    d = reduceOffers(d, { type: 'ended', convId: 'c2', outcome: 'timeout', at: 41_000 })
    const reset = reduceOffers(d, { type: 'reset' })
    expect(reset.offers).toEqual([])
    expect(reset.missed).toBe(d.missed)
    expect(reduceOffers(reset, { type: 'reset' })).toBe(reset)
  })

  it('drops an offer whose countdown has shown 0 for EXPIRED_SHOWN_MS, and no other', () => {
    let d = reduceOffers(EMPTY_DESK, { type: 'offered', frame: offered('c1', 30_000), at: 0 })
    d = reduceOffers(d, { type: 'offered', frame: offered('c2', 60_000), at: 0 })
    expect(reduceOffers(d, { type: 'expire', now: 30_000 + EXPIRED_SHOWN_MS - 1 })).toBe(d)
    expect(reduceOffers(d, { type: 'expire', now: 30_000 + EXPIRED_SHOWN_MS }).offers.map((o) => o.convId)).toEqual(['c2'])
  })

  it('counts whole seconds left, never below zero', () => {
    const o = { convId: 'c', entry: entry('c'), expiresAt: 10_000, duration: 10_000 }
    expect(secondsLeft(o, 0)).toBe(10)
    expect(secondsLeft(o, 9_001)).toBe(1)
    expect(secondsLeft(o, 12_000)).toBe(0)
  })

  it('measures the countdown from the time the offer had when it arrived, not from 30 s', () => {
    const d = reduceOffers(EMPTY_DESK, { type: 'offered', frame: offered('c1', 130_000), at: 10_000 })
    const o = d.offers[0]!
    expect(o.duration).toBe(120_000)
    expect(shareLeft(o, 10_000)).toBe(1)
    expect(shareLeft(o, 70_000)).toBe(0.5)
    expect(shareLeft(o, 200_000)).toBe(0)
  })

  it("keeps a colleague's transfer note by conversation", () => {
    const note: Note = { noteId: 'n1', convId: 'c1', clientNoteId: 'k1', author: { kind: 'agent', id: 'a2', name: 'Ben' }, text: 'Refund approved 👍🏽', at: 1, transfer: true }
    const d = reduceOffers(EMPTY_DESK, { type: 'note', convId: 'c1', note })
    expect(d.notes.c1).toBe(note)
    expect(reduceOffers(d, { type: 'note', convId: 'c1', note })).toBe(d)
  })

  it("takes a join's transfer note only when it is no older than the chat's last handover, and forgets it on dismiss", () => {
    const note = (noteId: string, at: number, transfer = true): Note => ({ noteId, convId: 'c1', clientNoteId: noteId, author: { kind: 'agent', id: 'a2', name: 'Ben' }, text: noteId, at, ...(transfer ? { transfer } : {}) })
    // Handed to me at 200 with no note: the note of the handover at 100 is not mine.
    let d = reduceOffers(EMPTY_DESK, { type: 'handed', convId: 'c1', at: 200 })
    expect(reduceOffers(d, { type: 'joined-notes', convId: 'c1', notes: [note('old', 100), note('plain', 300, false)] })).toBe(d)
    // Requeued at 400 with a note stored just after: taken from the queue, it shows.
    d = reduceOffers(d, { type: 'handed', convId: 'c1', at: 400 })
    d = reduceOffers(d, { type: 'joined-notes', convId: 'c1', notes: [note('old', 100), note('new', 401)] })
    expect(d.notes.c1?.noteId).toBe('new')
    // No handover seen here (a reload): the latest transfer note.
    expect(reduceOffers(EMPTY_DESK, { type: 'joined-notes', convId: 'c1', notes: [note('old', 100)] }).notes.c1?.noteId).toBe('old')
    // Dismissed, the chat's note goes with it.
    let s: ConsoleState = reduce(INITIAL, { type: 'chat', convId: 'c1', visitorId: 'v', context: null, closed: false, assignedAgentId: null, seenSeq: 0, visitorReadSeq: 0 })
    s = reduce(s, { type: 'desk', action: { type: 'note', convId: 'c1', note: note('x', 1) } })
    s = reduce(s, { type: 'dismiss', convId: 'c1' })
    expect(s.desk.notes).toEqual({})
  })

  it('opens an accepted offer on screen from its offer when the queue never listed it', () => {
    let s: ConsoleState = reduce(INITIAL, { type: 'desk', action: { type: 'offered', frame: offered('c1', 30_000), at: 0 } })
    s = reduce(s, { type: 'opening', convId: 'c1' })
    expect(s.active).toBe('c1')
    expect(s.chats.c1).toMatchObject({ visitorId: 'v-c1', loading: true, routing: { skill: 'billing' } })
  })
})
