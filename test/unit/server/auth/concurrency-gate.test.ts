import { describe, expect, it } from 'vitest'
import { createConcurrencyGate } from '../../../../server/src/auth/concurrency-gate.js'

/** A job that finishes when `finish` is called. */
function heldJob(): { job: () => Promise<string>; finish: () => void; started: () => boolean } {
  let finish!: () => void
  let started = false
  const done = new Promise<void>((r) => { finish = r })
  return { job: async () => { started = true; await done; return 'done' }, finish: () => finish(), started: () => started }
}

describe('createConcurrencyGate', () => {
  it('runs at most inFlight jobs at once and starts a waiting one when a slot frees', async () => {
    const gate = createConcurrencyGate(1, 1)
    const a = heldJob()
    const b = heldJob()
    const ra = gate.run(a.job)
    const rb = gate.run(b.job)
    await Promise.resolve()
    expect([a.started(), b.started(), gate.running, gate.waiting]).toEqual([true, false, 1, 1])
    a.finish()
    expect(await ra).toEqual({ value: 'done' })
    await Promise.resolve()
    expect([b.started(), gate.running, gate.waiting]).toEqual([true, 1, 0])
    b.finish()
    expect(await rb).toEqual({ value: 'done' })
    expect(gate.running).toBe(0)
  })

  it('refuses a job at once, without running it, when the queue is full', async () => {
    const gate = createConcurrencyGate(1, 1)
    const a = heldJob()
    const running = gate.run(a.job)
    const waiting = gate.run(async () => 'queued')
    let ran = false
    expect(await gate.run(async () => { ran = true; return 'x' })).toBeNull()
    expect(ran).toBe(false)
    a.finish()
    await running
    expect(await waiting).toEqual({ value: 'queued' })
  })

  it('frees the slot of a job that throws', async () => {
    const gate = createConcurrencyGate(1, 0)
    await expect(gate.run(async () => { throw new Error('boom') })).rejects.toThrow('boom')
    expect(await gate.run(async () => 'next')).toEqual({ value: 'next' })
  })

  it('runs a job only if a slot is free now, never queueing it, and hands its slot on as run does', async () => {
    const gate = createConcurrencyGate(1, 1)
    const a = heldJob()
    const spare = gate.runIfFree(a.job)
    await Promise.resolve()
    expect([a.started(), gate.running]).toEqual([true, 1])
    let ran = false
    expect(await gate.runIfFree(async () => { ran = true; return 'x' })).toBeNull()
    expect([ran, gate.waiting]).toEqual([false, 0])
    const waiting = gate.run(async () => 'queued')
    a.finish()
    expect(await spare).toEqual({ value: 'done' })
    expect(await waiting).toEqual({ value: 'queued' })
    expect(gate.running).toBe(0)
  })
})
