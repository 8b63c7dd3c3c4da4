import { describe, expect, it } from 'vitest'
import type { Availability, Rule, RuleEvent } from '@parley/sdk/contract'
import { Deployment } from '../../../widget/src/consumer/deployment.js'
import type { Tally } from '../../../widget/src/consumer/context.js'
import { createFakeClock } from '../../helpers/fake-clock.js'

// The widget's deployment decisions with the real evaluator, on a fake clock and hand-run timers:
// no work while nothing changes, one timer for what time changes, a navigation as a new page view,
// counts once per page view (the control arm's too), and a dismissal that starts the cap.

const T0 = Date.parse('2026-12-03T10:00:00Z')

function harness(rules: Rule[], opts: { url?: string; tally?: Tally | null } = {}) {
  const clock = createFakeClock(T0)
  const page = { url: opts.url ?? 'https://shop.example/', values: {} as Record<string, string>, pageViews: 0 }
  const tally: Tally | null = opts.tally === undefined ? { visitCount: 1, visitStart: T0, lastSeen: T0, pagesViewed: 1 } : opts.tally
  const events: RuleEvent[] = []
  const saved: Record<string, number>[] = []
  let timer: { fn: () => void; at: number } | null = null
  const d = new Deployment({
    rules, hours: null,
    page: () => ({
      browser: { url: page.url, title: 'Shop', referrer: '', languages: ['en'], userAgent: 'UA' },
      tally, values: page.values, consent: null, visitorId: 'visitor-1',
    }),
    dismissals: { load: () => ({ 'gone-rule': T0 - 1000 }), save: (x) => saved.push(x) },
    countPageView: () => { page.pageViews++ },
    events: { add: (e) => events.push(e) },
    now: () => clock.now(),
    setTimer: (fn, ms) => (timer = { fn, at: clock.now() + ms }),
    clearTimer: () => { timer = null },
  })
  let renders = 0
  d.subscribe(() => renders++)
  /** Moves the clock to the pending timer and runs it. */
  const runTimer = () => {
    const t = timer!
    timer = null
    clock.set(t.at)
    t.fn()
  }
  return { d, clock, page, events, saved, runTimer, timer: () => timer, renders: () => renders }
}

const button = { type: 'button' } as const
const shownAll = { launcher: true, offline: false, invite: null, offer: null }

describe('Deployment', () => {
  it('decides once, and does nothing on an update where no fact changed', () => {
    const h = harness([{ id: 'pro', when: { fact: 'value', name: 'plan', op: 'is', value: 'pro' }, action: { type: 'hide' } }])
    h.d.update()
    const first = h.d.decision
    expect(first.action).toEqual(button)
    h.clock.advance(10_000)
    h.d.update()
    expect(h.d.decision).toBe(first)
    expect(h.renders()).toBe(0)
    h.page.values = { plan: 'pro' }
    h.d.update()
    expect(h.d.decision).toMatchObject({ action: { type: 'hide' }, ruleId: 'pro' })
    expect(h.renders()).toBe(1)
  })

  it('sets one timer for a time-on-page threshold and decides again when it fires', () => {
    const h = harness([{ id: 'stay', when: { fact: 'timeOnPageSec', op: 'gte', value: 5 }, action: { type: 'offer', text: 'Stay a while' } }])
    h.d.update()
    expect(h.d.decision.ruleId).toBeNull()
    expect(h.timer()!.at).toBeGreaterThanOrEqual(T0 + 5000)
    h.runTimer()
    expect(h.d.decision.ruleId).toBe('stay')
    expect(h.timer()).toBeNull()
  })

  it('sets no timer when time can change nothing (no tally: no time on page)', () => {
    const h = harness([{ id: 'stay', when: { fact: 'timeOnPageSec', op: 'gte', value: 5 }, action: button }], { tally: null })
    h.d.update()
    expect(h.timer()).toBeNull()
  })

  it('shows an invitation only after its delay on the page', () => {
    const h = harness([{ id: 'hi', action: { type: 'invite', message: 'Hello', delaySec: 3 } }])
    h.d.update()
    expect(h.d.decision.ruleId).toBe('hi')
    expect(h.d.inviteDue).toBe(false)
    h.runTimer()
    expect(h.clock.now()).toBeGreaterThanOrEqual(T0 + 3000)
    expect(h.d.inviteDue).toBe(true)
  })

  it('gives another invitation its own delay when the decision moves to it', () => {
    const h = harness([
      { id: 'pro', when: { fact: 'value', name: 'plan', op: 'is', value: 'pro' }, action: { type: 'invite', message: 'Pro?', delaySec: 10 } },
      { id: 'all', action: { type: 'invite', message: 'Hi', delaySec: 1 } },
    ])
    h.d.update()
    h.runTimer()
    expect(h.d).toMatchObject({ inviteDue: true, decision: { ruleId: 'all' } })
    h.page.values = { plan: 'pro' }
    h.d.update()
    expect(h.d).toMatchObject({ inviteDue: false, decision: { ruleId: 'pro' } })
    h.runTimer()
    expect(h.clock.now()).toBeGreaterThanOrEqual(T0 + 10_000)
    expect(h.d.inviteDue).toBe(true)
  })

  it('takes a navigation as a new page view: time on page starts again, the tally counts it, counts start afresh', () => {
    const h = harness([
      { id: 'pricing', when: { fact: 'path', op: 'prefix', value: '/pricing' }, action: { type: 'offer', text: 'Offer' } },
      { id: 'rest', action: button },
    ])
    h.d.update()
    h.d.shown(shownAll)
    h.d.shown(shownAll)
    expect(h.events).toEqual([{ ruleId: 'rest', event: 'impression', arm: 'treatment' }])
    h.page.url = 'https://shop.example/pricing/plans'
    h.d.navigated()
    expect(h.page.pageViews).toBe(1)
    expect(h.d.decision.ruleId).toBe('pricing')
    // The same URL again (replaceState with no change) is no navigation.
    h.d.navigated()
    expect(h.page.pageViews).toBe(1)
    h.page.url = 'https://shop.example/'
    h.d.navigated()
    h.d.shown(shownAll)
    expect(h.events.filter((e) => e.ruleId === 'rest')).toHaveLength(2)
  })

  it("takes an in-page anchor (#section) as the same page view, and a hash router's #/route as a new one", () => {
    const h = harness([
      { id: 'faq', when: { fact: 'url', op: 'glob', value: '*#faq' }, action: { type: 'offer', text: 'Offer' } },
      { id: 'rest', action: button },
    ])
    h.d.update()
    h.d.shown(shownAll)
    h.clock.advance(5000)
    h.page.url = 'https://shop.example/#faq'
    h.d.navigated()
    expect(h.page.pageViews).toBe(0)
    // Still decided on the new URL, but no new page view: no second impression, time on page runs on.
    expect(h.d.decision.ruleId).toBe('faq')
    h.page.url = 'https://shop.example/'
    h.d.navigated()
    h.d.shown(shownAll)
    expect(h.page.pageViews).toBe(0)
    expect(h.events.filter((e) => e.ruleId === 'rest')).toHaveLength(1)
    h.page.url = 'https://shop.example/#/cart'
    h.d.navigated()
    expect(h.page.pageViews).toBe(1)
    h.page.url = 'https://shop.example/#!/checkout'
    h.d.navigated()
    expect(h.page.pageViews).toBe(2)
  })

  it("counts the control arm's impression when its action would have shown, and the treatment's only once seen", () => {
    const h = harness([
      { id: 'ab-invite', rollout: { percent: 0 }, action: { type: 'invite', message: 'Hi', delaySec: 2 } },
      { id: 'fallback', action: button },
    ])
    h.d.update()
    expect(h.d.decision.ruleId).toBe('fallback')
    expect(h.events).toEqual([])
    h.runTimer()
    expect(h.events).toEqual([{ ruleId: 'ab-invite', event: 'impression', arm: 'control' }])
    h.d.update(true)
    expect(h.events).toHaveLength(1)
  })

  it("counts a click when the launcher (not the page's Parley('open')) opens the chat for a button rule, and the chat it leads to once", () => {
    const h = harness([{ id: 'btn', rollout: { percent: 100 }, action: button }])
    h.d.update()
    h.d.opening(false)
    expect(h.events).toEqual([])
    h.d.opening(true)
    h.d.chatStarted()
    h.d.chatStarted()
    expect(h.d.origin).toBe('btn')
    expect(h.events).toEqual([{ ruleId: 'btn', event: 'click', arm: 'treatment' }, { ruleId: 'btn', event: 'chat', arm: 'treatment' }])
  })

  it('keeps a dismissal in storage (forgetting rules the brand no longer has), so a capped rule falls through to the next one', () => {
    const h = harness([
      { id: 'offer', cap: { days: 7 }, action: { type: 'offer', text: 'Ten percent off' } },
      { id: 'rest', action: button },
    ])
    h.d.update()
    h.d.dismiss('offer')
    expect(h.saved).toEqual([{ offer: T0 }])
    expect(h.d.decision).toMatchObject({ ruleId: 'rest' })
    expect(h.d.decision.trace[0]).toMatchObject({ ruleId: 'offer', result: 'capped' })
    expect(h.events).toEqual([{ ruleId: 'offer', event: 'dismiss', arm: 'treatment' }])
  })

  it('saves none of a logged-out customer\'s dismissals back with the next one', () => {
    const h = harness([
      { id: 'offer', cap: { days: 7 }, action: { type: 'offer', text: 'Ten percent off' } },
      { id: 'invite', cap: { days: 7 }, action: { type: 'invite', message: 'Need help?' } },
    ])
    h.d.update()
    h.d.dismiss('offer')
    h.d.forgetDismissals()
    h.d.dismiss('invite')
    expect(h.saved.at(-1)).toEqual({ invite: T0 })
  })

  it('puts nothing about the visitor in an event', () => {
    const h = harness([{ id: 'btn', action: button }])
    h.d.update()
    h.d.shown(shownAll)
    h.d.opening(true)
    // Both counted, so the check below looks at something.
    expect(h.events.map((e) => e.event)).toEqual(['impression', 'click'])
    for (const e of h.events) expect(Object.keys(e).sort()).toEqual(['arm', 'event', 'ruleId'])
  })
})

describe('Deployment.isAway', () => {
  const NOW = Date.parse('2026-12-05T12:00:00Z') // a Saturday
  const make = (hours: ConstructorParameters<typeof Deployment>[0]['hours']) => new Deployment({
    rules: [{ id: 'r', action: { type: 'button' } }], hours,
    page: () => ({ browser: { url: 'https://shop.example/', title: '', referrer: '', languages: ['en'], userAgent: 'UA' }, tally: null, values: {}, consent: null, visitorId: 'v' }),
    dismissals: { load: () => ({}), save: () => {} }, countPageView: () => {}, events: { add: () => {} },
    now: () => NOW, setTimer: () => 0, clearTimer: () => {},
  })
  const weekdays = { timeZone: 'UTC', weekly: { mon: [{ from: '09:00', to: '17:00' }], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] } }

  it('follows the business hours while nothing polls availability', () => {
    expect(make(weekdays).isAway()).toBe(true)
    expect(make(null).isAway()).toBe(false)
  })

  it("follows the availability answer's inHours once there is one", () => {
    const d = make(weekdays)
    const a: Availability = { agentsAvailable: 1, queueLength: 0, inHours: true, pollMs: 5000 }
    d.setAvailability(a)
    expect(d.isAway()).toBe(false)
  })
})
