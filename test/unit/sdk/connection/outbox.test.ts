import { describe, expect, it } from 'vitest'
import { Outbox } from '../../../../sdk/src/connection/outbox.js'
import { createMemoryStorage } from '../../../../sdk/src/connection/memory-storage.js'
import type { KeyValueStorage } from '../../../../sdk/src/connection/types.js'

/** Memory storage that records which values were read, one at a time or by prefix. */
function countingStorage(withEntries: boolean): { storage: KeyValueStorage; reads: string[] } {
  const inner = createMemoryStorage()
  const reads: string[] = []
  const storage: KeyValueStorage = {
    get: (k) => { reads.push(`get ${k}`); return inner.get(k) },
    set: (k, v) => inner.set(k, v),
    del: (k) => inner.del(k),
    keys: (p) => { reads.push(`keys ${p}`); return inner.keys(p) },
    ...(withEntries ? { entries: (p: string) => { reads.push(`entries ${p}`); return inner.entries!(p) } } : {}),
  }
  return { storage, reads }
}

const entry = (clientMsgId: string, createdAt: number) => ({ convId: 'c', clientMsgId, text: clientMsgId, createdAt, owner: 'o' })

describe('Outbox', () => {
  it('lists entries oldest first and forgets removed ones', async () => {
    const box = new Outbox(createMemoryStorage(), 'p:')
    await box.add(entry('b', 2))
    await box.add(entry('a', 1))
    await box.add(entry('c', 3))
    await box.remove('b')
    expect((await box.list()).map((e) => e.clientMsgId)).toEqual(['a', 'c'])
  })

  it('is shared through the storage, so a new client (a reload) sees what the old one left', async () => {
    const storage = createMemoryStorage()
    await new Outbox(storage, 'p:').add(entry('x', 1))
    expect(await new Outbox(storage, 'p:').get('x')).toMatchObject({ text: 'x' })
    expect(await new Outbox(storage, 'other:').list()).toEqual([])
  })

  it('lists from its own key range in one read, touching none of the other keys in the store', async () => {
    const { storage, reads } = countingStorage(true)
    for (let i = 0; i < 300; i++) await storage.set(`p:seq:conv${i}`, i)
    await storage.set('p:history', { messages: [] })
    const box = new Outbox(storage, 'p:')
    await box.add(entry('a', 1))
    await box.add(entry('b', 2))
    reads.length = 0
    expect((await box.list()).map((e) => e.clientMsgId)).toEqual(['a', 'b'])
    expect(reads).toEqual(['entries p:outbox:'])
  })

  it('falls back to its keys and their values when the storage cannot read a range', async () => {
    const { storage, reads } = countingStorage(false)
    await storage.set('p:history', { messages: [] })
    const box = new Outbox(storage, 'p:')
    await box.add(entry('a', 1))
    reads.length = 0
    expect((await box.list()).map((e) => e.clientMsgId)).toEqual(['a'])
    expect(reads).toEqual(['keys p:outbox:', 'get p:outbox:a'])
  })
})
