import { describe, expect, it } from 'vitest'
import type { AgentSettings } from '@parley/sdk/contract'
import { INITIAL, reduce, type Action, type ConsoleState } from '../../../widget/src/console/state.js'
import { Notifier } from '../../../widget/src/console/notifier.js'
import type { Notice } from '../../../widget/src/console/notice-rules.js'

/** A tiny state source standing in for the controller: the notifier only reads state and subscribes. */
function source() {
  const listeners = new Set<() => void>()
  const src = {
    state: reduce(reduce(INITIAL, { type: 'welcome', agentId: 'me', agentName: 'Ana' }), { type: 'queue', entries: [], total: 0 }) as ConsoleState,
    subscribe(fn: () => void) { listeners.add(fn); return () => listeners.delete(fn) },
    apply(a: Action) { src.state = reduce(src.state, a); for (const fn of listeners) fn() },
  }
  return src
}
const offer = (convId: string): Action => ({ type: 'desk', action: { type: 'offered', frame: { type: 'conversation.offered', convId, entry: { convId, visitorId: 'visitor-1', createdAt: 1, lastSeq: 1, preview: 'Hi' }, expiresAt: 9 }, at: 0 } })

describe('the notifier', () => {
  it('rings and shows a desktop notice for an offer, as the settings allow', async () => {
    const src = source()
    const rings: number[] = []
    const shown: Notice[] = []
    let saved: AgentSettings | null = null
    const n = new Notifier({
      source: src, chime: () => rings.push(1), desktop: (x) => shown.push(x), onOpen: () => undefined,
      settings: { read: async () => ({ sound: true, desktop: true }), save: async (s) => { saved = s; return s } },
    })
    src.apply(offer('o1'))
    expect(rings.length).toBe(1)
    expect(shown.map((x) => x.convId)).toEqual(['o1'])
    await n.save({ sound: false, desktop: false })
    expect(saved).toEqual({ sound: false, desktop: false })
    src.apply(offer('o2'))
    expect(rings.length).toBe(1)
    expect(shown.length).toBe(1)
    n.stop()
  })

  it('puts a setting back when the relay refuses it', async () => {
    const src = source()
    const n = new Notifier({ source: src, chime: () => undefined, onOpen: () => undefined, settings: { read: async () => ({ sound: true, desktop: true }), save: async () => { throw new Error('nope') } } })
    await n.save({ sound: false, desktop: true })
    expect(n.settings).toEqual({ sound: true, desktop: true })
    expect(n.error).toBe('nope')
  })

  it('clears the last save error once a save goes through', async () => {
    const src = source()
    let refuse = true
    const n = new Notifier({ source: src, chime: () => undefined, onOpen: () => undefined, settings: { read: async () => ({ sound: true, desktop: true }), save: async (s) => { if (refuse) throw new Error('nope'); return s } } })
    await n.save({ sound: false, desktop: true })
    expect(n.error).toBe('nope')
    refuse = false
    await n.save({ sound: false, desktop: true })
    expect(n.error).toBeNull()
  })

  it('reads the routing mode each time the link opens, not from offers', async () => {
    const src = source()
    let mode: 'manual' | 'automatic' = 'automatic'
    let reads = 0
    const shown: Notice[] = []
    new Notifier({ source: src, chime: () => undefined, desktop: (x) => shown.push(x), onOpen: () => undefined, mode: async () => { reads++; return mode } })
    const queued = (convId: string): Action => ({ type: 'queued', entry: { convId, visitorId: 'v', createdAt: 1, lastSeq: 1, preview: 'x' } })
    src.apply({ type: 'link', link: 'connected' })
    await Promise.resolve()
    expect(reads).toBe(1)
    // Automatic: a new waiting chat is not news (only offers are).
    src.apply(queued('q1'))
    expect(shown).toEqual([])
    // The brand switches to manual; the console hears it at its next reconnect.
    mode = 'manual'
    src.apply({ type: 'link', link: 'reconnecting' })
    src.apply({ type: 'link', link: 'connected' })
    await Promise.resolve()
    expect(reads).toBe(2)
    src.apply(queued('q2'))
    expect(shown.map((x) => x.kind)).toEqual(['waiting'])
    // An offer no longer switches the mode by itself.
    mode = 'manual'
    src.apply(offer('o1'))
    src.apply(queued('q3'))
    expect(shown.map((x) => x.kind)).toEqual(['waiting', 'offer', 'waiting'])
  })
})
