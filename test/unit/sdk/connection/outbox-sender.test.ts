import { describe, expect, it } from 'vitest'
import { Outbox } from '../../../../sdk/src/connection/outbox.js'
import { OutboxSender, type SenderPort } from '../../../../sdk/src/connection/outbox-sender.js'
import { createMemoryStorage } from '../../../../sdk/src/connection/memory-storage.js'
import type { ClientFrame } from '../../../../sdk/src/contract/frames.js'

const entry = (clientMsgId: string) => ({ convId: 'c', clientMsgId, text: clientMsgId, createdAt: 1, owner: 'me' })

/** A port on an open socket that records what went on the wire. */
function openPort(): { port: SenderPort; written: ClientFrame[]; sent: () => number } {
  const written: ClientFrame[] = []
  let sent = 0
  const port: SenderPort = {
    write: (f) => { written.push(f); return true },
    isOpen: () => true,
    sent: () => { sent++ },
    settled: () => {},
    failed: (err) => { throw err },
    setTimeout: () => undefined,
    prepare: async () => 'ready',
  }
  return { port, written, sent: () => sent }
}

describe('OutboxSender', () => {
  it('sends an entry offered after the replay loop ended but before its lock was released', async () => {
    const outbox = new Outbox(createMemoryStorage(), 'p:')
    const { port, written, sent } = openPort()
    let loopDone!: () => void
    const loopEnded = new Promise<void>((r) => { loopDone = r })
    let release!: () => void
    const released = new Promise<void>((r) => { release = r })
    // A lock that is slow to let go: the work has finished, the release has not.
    const withLock = async <T>(_name: string, fn: () => Promise<T>): Promise<T> => {
      const out = await fn()
      loopDone()
      await released
      return out
    }
    const sender = new OutboxSender(outbox, 'me', { withLock }, port)
    const replaying = sender.replay()
    await loopEnded
    await outbox.add(entry('late'))
    sender.offer(entry('late'))
    release()
    await replaying
    expect(written).toEqual([{ type: 'message.send', convId: 'c', clientMsgId: 'late', text: 'late' }])
    expect(sent()).toBe(1)
  })
})
