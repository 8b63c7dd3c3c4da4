import { describe, expect, it } from 'vitest'
import { LeaseRefusedError, type BrandLocks } from '../../../../server/src/routing/brand-locks.js'
import { BrandPasses } from '../../../../server/src/routing/brand-passes.js'
import { createFakeClock } from '../../../helpers/fake-clock.js'
import { createFakeScheduler } from '../../../helpers/fake-scheduler.js'

// A brand's passes on one node: one at a time, a lock refused once never stops the brand's routing.

/** Refuses the first `refusals` holds, then grants every one. */
function refusingLocks(refusals: number): BrandLocks & { holds: number } {
  const locks = {
    holds: 0,
    async hold<T>(brandId: string, job: (signal: AbortSignal) => Promise<T>): Promise<T> {
      locks.holds++
      if (refusals-- > 0) throw new LeaseRefusedError(brandId, 'unreachable')
      return job(new AbortController().signal)
    },
  }
  return locks
}

function setup(locks: BrandLocks) {
  const clock = createFakeClock(0)
  const scheduler = createFakeScheduler(clock)
  const errors: unknown[] = []
  const passes = new BrandPasses({ onError: (err) => errors.push(err), locks, scheduler, clock, retryMs: 1000 })
  return { passes, scheduler, errors }
}

describe('BrandPasses', () => {
  it('runs later passes after a pass whose lock was refused', async () => {
    const { passes, errors } = setup(refusingLocks(1))
    let ran = 0
    const pass = async () => { ran++ }
    passes.pass('b', pass)
    await passes.idle()
    expect(errors[0]).toBeInstanceOf(LeaseRefusedError)
    passes.pass('b', pass)
    await passes.idle()
    passes.pass('b', pass)
    await passes.idle()
    expect(ran).toBe(2)
  })

  it('tries a refused pass again after retryMs, with no event to wake it', async () => {
    const { passes, scheduler } = setup(refusingLocks(1))
    let ran = 0
    passes.pass('b', async () => { ran++ })
    await passes.idle()
    expect(ran).toBe(0)
    expect(scheduler.pending).toBe(1)
    scheduler.advance(1000)
    await passes.idle()
    expect(ran).toBe(1)
    expect(scheduler.pending).toBe(0)
  })

  it('keeps one retry per brand however many passes were refused', async () => {
    const { passes, scheduler } = setup(refusingLocks(3))
    passes.pass('b', async () => {})
    await passes.idle()
    passes.pass('b', async () => {})
    await passes.idle()
    expect(scheduler.pending).toBe(1)
  })

  it('cancels waiting retries on stop', async () => {
    const { passes, scheduler } = setup(refusingLocks(1))
    passes.pass('b', async () => {})
    await passes.idle()
    passes.stop()
    expect(scheduler.pending).toBe(0)
  })

  it('runs other jobs without taking the lock', async () => {
    const locks = refusingLocks(Infinity)
    const { passes } = setup(locks)
    let ran = false
    passes.run('b', async () => { ran = true })
    await passes.idle()
    expect(ran).toBe(true)
    expect(locks.holds).toBe(0)
  })

  it('folds a pass asked for while one waits to start into that one', async () => {
    const { passes } = setup(refusingLocks(0))
    let ran = 0
    let release!: () => void
    passes.run('b', () => new Promise<void>((r) => { release = r }))
    passes.pass('b', async () => { ran++ })
    passes.pass('b', async () => { ran++ })
    await new Promise((r) => setImmediate(r))
    release()
    await passes.idle()
    expect(ran).toBe(1)
  })
})
