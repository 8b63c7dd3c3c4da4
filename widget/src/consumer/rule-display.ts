import type { Decision, RuleAction } from '@parley/sdk/contract'
import type { WidgetState } from './state.js'

// What the widget shows for a deployment decision, given the chat: the decision says what the
// brand wants for this visitor; a visitor already chatting keeps the chat button and is not
// interrupted by an invitation. Pure.

/** An invitation to show, with the rule that decided it. */
export type ShownInvite = Extract<RuleAction, { type: 'invite' }> & { ruleId: string }
/** An offer banner to show, with the rule that decided it. */
export type ShownOffer = Extract<RuleAction, { type: 'offer' }> & { ruleId: string }

/** What is on the page besides the chat window. */
export interface Display {
  launcher: boolean
  /** The launcher opens the offline message form instead of the chat. */
  offline: boolean
  invite: ShownInvite | null
  offer: ShownOffer | null
}

/** What the deployment keeps about this page view. */
export interface PageView {
  /** The invitation's delay has passed. */
  inviteDue: boolean
  /** Rules whose invitation or offer the visitor accepted or dismissed on this page view. */
  closed: ReadonlySet<string>
  /** The offline form is open. */
  formOpen: boolean
}

/** Whether the visitor has a conversation under way, or something from it waiting to be read or sent. */
export function isChatting(s: WidgetState): boolean {
  return (s.convId !== null && !s.ended) || s.unread > 0 || s.messages.some((m) => m.status === 'sending')
}

/** Whether an offer that expires at `expiresAt` (ISO 8601) is over at `now`. */
export function isExpired(expiresAt: string | undefined, now: number): boolean {
  return expiresAt !== undefined && Date.parse(expiresAt) <= now
}

/** What to show for `decision`. */
export function display(decision: Decision, s: WidgetState, view: PageView, now: number): Display {
  const { action, ruleId } = decision
  const chatting = isChatting(s)
  const quiet = s.open || view.formOpen || ruleId === null || view.closed.has(ruleId)
  return {
    launcher: action.type !== 'hide' || chatting || s.open || view.formOpen,
    offline: action.type === 'offline-form' && !chatting,
    invite: action.type === 'invite' && view.inviteDue && !chatting && !quiet ? { ...action, ruleId: ruleId! } : null,
    offer: action.type === 'offer' && !quiet && !isExpired(action.expiresAt, now) ? { ...action, ruleId: ruleId! } : null,
  }
}
