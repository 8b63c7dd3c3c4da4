import type { Availability, BusinessHours, Decision, Rule, RuleEvent, RuleEventKind } from '@parley/sdk/contract'
import { deriveFacts, evaluateRules, hoursState, nextRecheckMs } from '@parley/sdk/rules'
import { isExpired, type Display, type PageView } from './rule-display.js'
import { buildVisitorFacts, factsKey, type FactInputs } from './rule-facts.js'

// The deployment rules on a page: decides what the widget shows from the visitor's facts, decides
// again when a fact changes (a navigation, Parley('set'), consent, the availability poll, a
// dismissal) and, with one timer, when time makes a difference (time on page crossing a rule's
// threshold, business hours opening or closing, an offer expiring, an invitation's delay), and
// counts what it shows. When nothing changed it does nothing: equal facts keys, no decision.

/** What the deployment needs from the page; boot.ts gives the real ones. */
export interface DeploymentDeps {
  rules: readonly Rule[]
  hours: BusinessHours | null
  /** The page's and browser's facts now (read afresh on each decision). */
  page(): Omit<FactInputs, 'pageStart' | 'availability' | 'dismissed' | 'now'>
  /** When the visitor dismissed each rule, in first-party storage. */
  dismissals: { load(): Record<string, number>; save(d: Record<string, number>): void }
  /** Counts a page view in the behavioural tally (when tracking is allowed). */
  countPageView(): void
  events: { add(e: RuleEvent): void }
  now(): number
  setTimer(fn: () => void, ms: number): unknown
  clearTimer(id: unknown): void
}

/** Before the first decision, and with no rule: the chat button, as before rules existed. */
const BUTTON: Decision = { action: { type: 'button' }, ruleId: null, arm: null, trace: [] }
/** setTimeout's longest delay (about 24.8 days); a later change is looked at again then. */
const MAX_TIMER_MS = 2 ** 31 - 1

/** Whether two URLs are the same page: equal but for an anchor fragment (one not starting with `/` or `!`). */
const samePage = (a: string, b: string) => a.replace(/#(?![!/]).*/, '') === b.replace(/#(?![!/]).*/, '')

/** The decision for this page and what the visitor did with it. */
export class Deployment implements PageView {
  decision: Decision = BUTTON
  inviteDue = false
  closed = new Set<string>()
  formOpen = false
  /** The offline form's message went (the form shows its thank-you). */
  formSent = false
  /** The rule the visitor came to the chat through (its invitation, offer or button); sent in the context. */
  origin: string | null = null
  readonly #deps: DeploymentDeps
  readonly #listeners = new Set<() => void>()
  #availability: Availability | null = null
  #dismissed: Record<string, number>
  #pageStart: number
  #href: string
  #key: string | null = null
  #timer: unknown = null
  /** `kind:ruleId` of the events counted on this page view (each at most once per view). */
  #counted = new Set<string>()
  #chatCounted = false

  constructor(deps: DeploymentDeps) {
    this.#deps = deps
    this.#dismissed = deps.dismissals.load()
    this.#pageStart = deps.now()
    this.#href = deps.page().browser.url
  }

  /** Re-renders on a change of what shows. */
  subscribe(fn: () => void): void {
    this.#listeners.add(fn)
  }

  /** Decides now if the facts changed since the last decision (`force`: also when only time passed). */
  update(force = false): void {
    const now = this.#deps.now()
    const visitor = buildVisitorFacts({ ...this.#deps.page(), pageStart: this.#pageStart, availability: this.#availability, dismissed: this.#dismissed, now })
    const key = factsKey(visitor)
    if (!force && key === this.#key) return
    this.#key = key
    const facts = deriveFacts(visitor, this.#deps.hours, now)
    const before = this.decision
    this.decision = evaluateRules(this.#deps.rules, facts)
    const changed = before.ruleId !== this.decision.ruleId || before.arm !== this.decision.arm || JSON.stringify(before.action) !== JSON.stringify(this.decision.action)
    // Another invitation keeps its own delay, counted from the start of the page view as well.
    if (changed) this.inviteDue = false
    const due = this.#countDue(now)
    const soonest = [nextRecheckMs(this.#deps.rules, facts), hoursState(this.#deps.hours, now).nextChangeAt, this.#offerEnd(), due]
      .map((t, i) => (t === null ? Infinity : i === 0 ? t : t - now))
    this.#schedule(Math.min(...soonest))
    if (changed || force) this.#notify()
  }

  /**
   * The page's URL changed without a load: a new page view (time on page starts again), unless only
   * an in-page anchor changed (`#pricing`); a hash router's fragment (`#/cart`, `#!/cart`) is a page.
   */
  navigated(): void {
    const href = this.#deps.page().browser.url
    const prev = this.#href
    this.#href = href
    // Routers call replaceState often with the URL unchanged (to keep state or scroll): nothing to do.
    if (href === prev) return
    if (samePage(href, prev)) return this.update()
    this.#pageStart = this.#deps.now()
    this.#counted.clear()
    this.#chatCounted = false
    this.closed.clear()
    this.inviteDue = false
    this.#deps.countPageView()
    this.update(true)
  }

  /** The relay's availability answer (a change of it: the poll compares). */
  setAvailability(a: Availability): void {
    this.#availability = a
    this.update()
  }

  /** The view showed `d`: an impression for each rule whose action is on screen, once per page view. */
  shown(d: Display): void {
    const { ruleId, action } = this.decision
    if (ruleId === null) return
    if (d.invite || d.offer || (d.launcher && (action.type === 'button' || (action.type === 'offline-form' && d.offline)))) this.#count('impression', ruleId)
  }

  /**
   * The chat is opening (from the launcher, or the page's Parley('open')): the deciding rule is where
   * the visitor came from; a click of its button when `byLauncher` and the rule's action is the button.
   */
  opening(byLauncher: boolean): void {
    const { ruleId, action } = this.decision
    if (ruleId === null || action.type === 'hide' || action.type === 'offline-form') return
    this.origin = ruleId
    if (byLauncher && action.type === 'button') this.#count('click', ruleId)
  }

  /** The visitor accepted the invitation or clicked the offer's link or code. */
  clicked(ruleId: string, close: boolean): void {
    this.#count('click', ruleId)
    this.origin = ruleId
    if (close) this.closed.add(ruleId)
    this.#notify()
  }

  /** The page's customer logged out: their dismissals go (boot.ts deletes the saved ones), so the next dismissal saves none of them back. */
  forgetDismissals(): void {
    this.#dismissed = {}
  }

  /** The visitor dismissed the invitation or offer: gone from this page, and its cap starts. */
  dismiss(ruleId: string): void {
    this.#count('dismiss', ruleId)
    this.closed.add(ruleId)
    // Dismissals of rules the brand no longer has go as this one is kept.
    const kept = Object.entries(this.#dismissed).filter(([id]) => this.#deps.rules.some((r) => r.id === id))
    this.#dismissed = { ...Object.fromEntries(kept), [ruleId]: this.#deps.now() }
    this.#deps.dismissals.save(this.#dismissed)
    this.update()
    this.#notify()
  }

  /** A chat (or an offline message) started: it counts for the rule the visitor came through, once. */
  chatStarted(ruleId = this.origin): void {
    if (ruleId === null || this.#chatCounted) return
    this.#chatCounted = true
    this.#event('chat', ruleId)
  }

  /** Outside the brand's business hours: the availability poll's answer when there is one, else the hours themselves. */
  isAway(): boolean {
    return this.#availability ? !this.#availability.inHours : !hoursState(this.#deps.hours, this.#deps.now()).open
  }

  /** Opens or closes the offline form. */
  setForm(open: boolean): void {
    this.formOpen = open
    this.#notify()
  }

  /** The offline message went: the form thanks the visitor, and it counts as a chat of the deciding rule. */
  formDone(): void {
    this.formSent = true
    this.chatStarted(this.decision.ruleId)
    this.#notify()
  }

  /**
   * What is due by `now` on this page view: the invitation after its delay, and impressions of rules
   * the visitor is in the control arm of (counted when the action would have shown). Returns when
   * the next one is due, null when none is.
   */
  #countDue(now: number): number | null {
    let next: number | null = null
    const at = (rule: Rule | undefined): number | null => {
      if (!rule || rule.action.type === 'hide') return null
      const t = this.#pageStart + (rule.action.type === 'invite' ? (rule.action.delaySec ?? 0) * 1000 : 0)
      if (t > now) next = Math.min(next ?? Infinity, t)
      return t
    }
    const deciding = this.#deps.rules.find((r) => r.id === this.decision.ruleId)
    if (deciding?.action.type === 'invite' && !this.inviteDue) {
      const t = at(deciding)
      if (t !== null && t <= now) this.inviteDue = true
    }
    for (const entry of this.decision.trace) {
      if (entry.result !== 'control') continue
      const t = at(this.#deps.rules.find((r) => r.id === entry.ruleId))
      if (t !== null && t <= now) this.#count('impression', entry.ruleId, 'control')
    }
    return next
  }

  /** When the offer on screen expires, ms; null when it doesn't. */
  #offerEnd(): number | null {
    const a = this.decision.action
    if (a.type !== 'offer' || !a.expiresAt || isExpired(a.expiresAt, this.#deps.now())) return null
    return Date.parse(a.expiresAt)
  }

  #schedule(ms: number): void {
    if (this.#timer !== null) this.#deps.clearTimer(this.#timer)
    this.#timer = null
    if (ms === Infinity) return
    this.#timer = this.#deps.setTimer(() => {
      this.#timer = null
      this.update(true)
    }, Math.min(MAX_TIMER_MS, Math.max(0, ms) + 50))
  }

  /** Counts `kind` for `ruleId` once on this page view. */
  #count(kind: RuleEventKind, ruleId: string, arm?: 'control'): void {
    const key = `${kind}:${ruleId}`
    if (this.#counted.has(key)) return
    this.#counted.add(key)
    this.#event(kind, ruleId, arm)
  }

  #event(event: RuleEventKind, ruleId: string, arm?: 'control'): void {
    const deciding = this.decision.ruleId === ruleId ? this.decision.arm : null
    this.#deps.events.add({ ruleId, event, arm: arm ?? deciding ?? 'treatment' })
  }

  #notify(): void {
    for (const fn of this.#listeners) fn()
  }
}
