import { describe, expect, it } from 'vitest'
import { NO_SLOT, UnindexedSlots, type UnindexedRow } from '../../../../../server/src/store/sqlite/unindexed-slots.js'

// The unindexed rows' row storage: slots in typed arrays, per-conversation lists and a hash table by
// (sender, clientMsgId). Checked against a plain Map through growth, collisions and removals.

const key = (sender: number, cid: string) => `${sender}\u0000${cid}`

describe('UnindexedSlots', () => {
  it('finds every stored row and none removed, through growth and many shared hash buckets', () => {
    const slots = new UnindexedSlots()
    const expected = new Map<string, UnindexedRow>()
    const lists = new Map<number, { first: number; last: number; count: number }>()
    let id = 0
    // 5,000 rows over 50 conversations: the slots double twice from 1,024, and with a table of twice
    // the slots many buckets hold several rows.
    for (let i = 0; i < 5000; i++) {
      const conv = (i % 50) + 1
      const t: UnindexedRow = { id: ++id, conv, seq: Math.floor(i / 50) + 1, sender: conv + 1000, clientMsgId: `m-${i}` }
      const l = lists.get(conv)
      if (!l) {
        const slot = slots.add(t, NO_SLOT)
        lists.set(conv, { first: slot, last: slot, count: 1 })
      } else {
        l.last = slots.add(t, l.last)
        l.count++
      }
      expected.set(key(t.sender, t.clientMsgId), t)
    }
    // Remove rows from the front of every other conversation's list, as an index write does.
    for (const [conv, l] of lists) {
      if (conv % 2 === 1) continue
      for (let n = 0; n < 60; n++) {
        expected.delete(key(slots.sender(l.first), slots.clientMsgId(l.first)))
        l.first = slots.remove(l.first)
        l.count--
      }
    }
    const checkAll = () => {
      for (let i = 0; i < 5000; i++) {
        const sender = (i % 50) + 1001
        const slot = slots.find(sender, `m-${i}`)
        const want = expected.get(key(sender, `m-${i}`))
        if (want) expect(slots.row(slot)).toEqual(want)
        else expect(slot).toBe(NO_SLOT)
      }
    }
    checkAll()
    // Each list still runs oldest first from its first slot.
    const l = lists.get(2)!
    const seqs: number[] = []
    for (let slot = l.first, n = l.count; n > 0; slot = slots.next(slot), n--) seqs.push(slots.seq(slot))
    expect(seqs).toEqual(Array.from({ length: 40 }, (_, i) => i + 61))
    // Freed slots are used again: adding as many rows as were removed does not grow the storage.
    const before = slots.find(1001, 'm-0')
    for (let i = 0; i < 25 * 60; i++) slots.add({ id: ++id, conv: 99, seq: i + 1, sender: 5, clientMsgId: `n-${i}` }, NO_SLOT)
    expect(slots.find(1001, 'm-0')).toBe(before)
    checkAll()
    expect(slots.row(slots.find(5, 'n-1499'))).toMatchObject({ conv: 99, seq: 1500 })
  })

  it('tells senders apart that used the same clientMsgId, including sender keys above 2^32', () => {
    const slots = new UnindexedSlots()
    const big = 2 ** 40 + 7
    const a = slots.add({ id: 1, conv: 1, seq: 1, sender: 7, clientMsgId: 'same' }, NO_SLOT)
    const b = slots.add({ id: 2, conv: 2, seq: 1, sender: big, clientMsgId: 'same' }, NO_SLOT)
    const c = slots.add({ id: 3, conv: 3, seq: 1, sender: big + 2 ** 32, clientMsgId: 'same' }, NO_SLOT)
    expect([slots.find(7, 'same'), slots.find(big, 'same'), slots.find(big + 2 ** 32, 'same')]).toEqual([a, b, c])
    expect(slots.row(b)).toEqual({ id: 2, conv: 2, seq: 1, sender: big, clientMsgId: 'same' })
    slots.remove(b)
    expect([slots.find(7, 'same'), slots.find(big, 'same'), slots.find(big + 2 ** 32, 'same')]).toEqual([a, NO_SLOT, c])
    expect(slots.find(8, 'same')).toBe(NO_SLOT)
  })
})
