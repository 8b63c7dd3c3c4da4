import { describe, expect, it } from 'vitest'
import type { Decision, RuleAction } from '@parley/sdk/contract'
import { display, type PageView } from '../../../widget/src/consumer/rule-display.js'
import { INITIAL, type WidgetState } from '../../../widget/src/consumer/state.js'

// What shows for a decision, given the chat: a visitor chatting keeps the launcher and is not
// interrupted; an accepted or dismissed invitation or offer stays gone on its page view.

const NOW = Date.parse('2026-12-03T10:00:00Z')
const decided = (action: RuleAction, ruleId: string | null = 'r'): Decision => ({ action, ruleId, arm: null, trace: [] })
const view: PageView = { inviteDue: true, closed: new Set(), formOpen: false }
const chatting: WidgetState = { ...INITIAL, convId: 'c1' }
const invite: RuleAction = { type: 'invite', message: 'Hi' }
const offer: RuleAction = { type: 'offer', text: 'Off', expiresAt: '2026-12-03T11:00:00Z' }

describe('display', () => {
  it('hides the launcher for hide, unless a chat is under way, unread, or open', () => {
    expect(display(decided({ type: 'hide' }), INITIAL, view, NOW).launcher).toBe(false)
    expect(display(decided({ type: 'hide' }), chatting, view, NOW).launcher).toBe(true)
    expect(display(decided({ type: 'hide' }), { ...INITIAL, unread: 1 }, view, NOW).launcher).toBe(true)
    expect(display(decided({ type: 'hide' }), { ...INITIAL, open: true }, view, NOW).launcher).toBe(true)
    expect(display(decided({ type: 'hide' }), { ...INITIAL, convId: 'c1', ended: true }, view, NOW).launcher).toBe(false)
  })

  it('shows an invitation once due, not to a visitor chatting, and not after it was closed on this page', () => {
    expect(display(decided(invite), INITIAL, view, NOW).invite).toMatchObject({ message: 'Hi', ruleId: 'r' })
    expect(display(decided(invite), INITIAL, { ...view, inviteDue: false }, NOW).invite).toBeNull()
    expect(display(decided(invite), chatting, view, NOW).invite).toBeNull()
    expect(display(decided(invite), INITIAL, { ...view, closed: new Set(['r']) }, NOW).invite).toBeNull()
  })

  it('shows an offer until it expires, and not over the open chat', () => {
    expect(display(decided(offer), INITIAL, view, NOW).offer).toMatchObject({ text: 'Off', ruleId: 'r' })
    expect(display(decided(offer), INITIAL, view, Date.parse('2026-12-03T11:00:00Z')).offer).toBeNull()
    expect(display(decided(offer), { ...INITIAL, open: true }, view, NOW).offer).toBeNull()
    expect(display(decided(offer), INITIAL, view, NOW).launcher).toBe(true)
  })

  it('makes the launcher open the offline form, unless a chat is under way', () => {
    expect(display(decided({ type: 'offline-form' }), INITIAL, view, NOW)).toMatchObject({ launcher: true, offline: true })
    expect(display(decided({ type: 'offline-form' }), chatting, view, NOW).offline).toBe(false)
  })
})
