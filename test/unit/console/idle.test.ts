import { describe, expect, it } from 'vitest'
import { isBackOnActivity, isIdleDue, msUntilIdle, type IdleInput } from '../../../widget/src/console/idle.js'
import { IdleWatch, type IdleTimers } from '../../../widget/src/console/idle-watch.js'

const MIN = 60_000

describe('the idle arithmetic', () => {
  const base: IdleInput = { status: 'available', auto: false, awayAfterMin: 10, lastActivityAt: 1_000 }

  it('counts down from the last activity for an available agent', () => {
    expect(msUntilIdle(base, 1_000)).toBe(10 * MIN)
    expect(msUntilIdle(base, 1_000 + 4 * MIN)).toBe(6 * MIN)
    expect(isIdleDue(base, 1_000 + 10 * MIN - 1)).toBe(false)
    expect(isIdleDue(base, 1_000 + 10 * MIN)).toBe(true)
    expect(msUntilIdle(base, 1_000 + 60 * MIN)).toBe(0)
  })

  it('never turns away an agent with 0 minutes, one already away, or one offline', () => {
    expect(msUntilIdle({ ...base, awayAfterMin: 0 }, 1e12)).toBeNull()
    expect(msUntilIdle({ ...base, status: 'away' }, 1e12)).toBeNull()
    expect(msUntilIdle({ ...base, status: 'offline' }, 1e12)).toBeNull()
  })

  it('brings back on activity only an away the timer set', () => {
    expect(isBackOnActivity({ ...base, status: 'away', auto: true })).toBe(true)
    expect(isBackOnActivity({ ...base, status: 'away', auto: false })).toBe(false)
    expect(isBackOnActivity(base)).toBe(false)
  })
})

/** Timers on a clock the test moves: due callbacks run when it advances past them. */
function fakeTimers(start = 0): IdleTimers & { advance(ms: number): void; pending(): number } {
  let now = start
  let next = 1
  const due = new Map<number, { at: number; fn: () => void }>()
  return {
    now: () => now,
    setTimeout(fn, ms) { const id = next++; due.set(id, { at: now + ms, fn }); return id },
    clearTimeout(h) { due.delete(h as number) },
    advance(ms) {
      const until = now + ms
      for (;;) {
        const first = [...due.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0]
        if (!first) break
        due.delete(first[0])
        now = first[1].at
        first[1].fn()
      }
      now = until
    },
    pending: () => due.size,
  }
}

describe('the idle watch on a fake clock', () => {
  function watched() {
    const t = fakeTimers()
    const calls: string[] = []
    const watch = new IdleWatch(t, { onAway: () => calls.push('away'), onBack: () => calls.push('back') }, 0)
    return { t, calls, watch }
  }

  it('does nothing until the relay says the agent is available', () => {
    const { t, calls } = watched()
    t.advance(60 * MIN)
    expect(calls).toEqual([])
    expect(t.pending()).toBe(0)
  })

  it('sets away once after the idle minutes, then back on the next activity', () => {
    const { t, calls, watch } = watched()
    watch.update({ status: 'available', auto: false, awayAfterMin: 5 })
    t.advance(5 * MIN - 1)
    expect(calls).toEqual([])
    t.advance(1)
    expect(calls).toEqual(['away'])
    t.advance(30 * MIN)
    expect(calls).toEqual(['away'])
    // The relay confirms the automatic away; a burst of activity brings the agent back once.
    watch.update({ status: 'away', auto: true, awayAfterMin: 5 })
    watch.activity(); watch.activity(); watch.activity()
    expect(calls).toEqual(['away', 'back'])
  })

  it('waits the full minutes again after activity', () => {
    const { t, calls, watch } = watched()
    watch.update({ status: 'available', auto: false, awayAfterMin: 5 })
    t.advance(4 * MIN)
    watch.activity()
    t.advance(4 * MIN)
    expect(calls).toEqual([])
    t.advance(1 * MIN)
    expect(calls).toEqual(['away'])
  })

  it('never comes back from an away the agent chose, and never goes away with 0 minutes', () => {
    const { t, calls, watch } = watched()
    watch.update({ status: 'away', auto: false, awayAfterMin: 5 })
    watch.activity()
    watch.update({ status: 'available', auto: false, awayAfterMin: 0 })
    t.advance(600 * MIN)
    expect(calls).toEqual([])
  })

  it('restarts the count when the agent changes their minutes, and stops on sign-out', () => {
    const { t, calls, watch } = watched()
    watch.update({ status: 'available', auto: false, awayAfterMin: 5 })
    t.advance(3 * MIN)
    watch.update({ status: 'available', auto: false, awayAfterMin: 2 })
    t.advance(0)
    expect(calls).toEqual(['away'])
    watch.update({ status: 'available', auto: false, awayAfterMin: 5 })
    watch.stop()
    t.advance(60 * MIN)
    expect(calls).toEqual(['away'])
  })

  it('counts a return to available from elsewhere (another tab) as activity, so an idle tab does not flip it back', () => {
    const { t, calls, watch } = watched()
    watch.update({ status: 'available', auto: false, awayAfterMin: 5 })
    t.advance(5 * MIN)
    expect(calls).toEqual(['away'])
    watch.update({ status: 'away', auto: true, awayAfterMin: 5 })
    t.advance(20 * MIN)
    // The agent came back in another tab: this one, idle for 25 minutes, waits 5 more before away.
    watch.update({ status: 'available', auto: false, awayAfterMin: 5 })
    t.advance(5 * MIN - 1)
    expect(calls).toEqual(['away'])
    t.advance(1)
    expect(calls).toEqual(['away', 'away'])
  })

  it('takes activity in another tab as activity without asking to come back twice', () => {
    const { t, calls, watch } = watched()
    watch.update({ status: 'available', auto: false, awayAfterMin: 5 })
    t.advance(4 * MIN)
    watch.activity(true)
    t.advance(4 * MIN)
    expect(calls).toEqual([])
    t.advance(1 * MIN)
    watch.update({ status: 'away', auto: true, awayAfterMin: 5 })
    watch.activity(true)
    expect(calls).toEqual(['away'])
  })
})
