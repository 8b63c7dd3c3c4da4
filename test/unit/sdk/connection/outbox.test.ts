import { describe, expect, it } from 'vitest'
import { Outbox } from '../../../../sdk/src/connection/outbox.js'
import { createMemoryStorage } from '../../../../sdk/src/connection/memory-storage.js'

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
})
