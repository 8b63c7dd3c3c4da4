import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { startPeriodicJob } from '../../../server/src/periodic-job.js'

// The relay's sweeps (idle chats, unsent attachments, idempotency keys) on real timers: shutdown
// waits for the run in flight, so it never reaches a store that has closed.

describe('startPeriodicJob', () => {
  it('resolves stop only after the run in flight has ended, and starts none after it', async () => {
    const events: string[] = []
    let runs = 0
    const job = startPeriodicJob(5, async () => {
      runs++
      events.push('start')
      await sleep(60)
      events.push('end')
    }, (err) => events.push(`error ${String(err)}`))
    job.runNow()
    await job.stop()
    events.push('closed')
    await sleep(30)
    expect(events).toEqual(['start', 'end', 'closed'])
    expect(runs).toBe(1)
  })

  it('never overlaps two runs, and hands a failed run to onError and runs again', async () => {
    let active = 0
    let most = 0
    let runs = 0
    const errors: unknown[] = []
    const job = startPeriodicJob(5, async () => {
      runs++
      active++
      most = Math.max(most, active)
      await sleep(20)
      active--
      if (runs === 1) throw new Error('store busy')
    }, (err) => errors.push(err))
    await sleep(100)
    await job.stop()
    expect(most).toBe(1)
    expect(runs).toBeGreaterThan(1)
    expect(errors).toHaveLength(1)
    expect(active).toBe(0)
  })
})
