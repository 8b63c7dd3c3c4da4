import { describe, expect, it } from 'vitest'
import { packAppendResults, unpackAppendResults } from '../../../../../server/src/store/sqlite/append-wire.js'
import type { AppendRequest, AppendResult } from '../../../../../server/src/store/store.js'

// The store thread sends a plain stored message back as [seq, visitorId]; one with attachments
// must travel whole, or the relay thread would rebuild it without them.

const req = (clientMsgId: string, attachmentIds?: string[]): AppendRequest => ({
  brandId: 'b', convId: 'c', clientMsgId, from: { kind: 'visitor', id: 'v' }, text: 'hi', at: 1, context: null,
  ...(attachmentIds ? { attachmentIds } : {}),
})

describe('append results across the store thread', () => {
  it('packs a plain message and keeps one with attachments whole', () => {
    const reqs = [req('m1'), req('m2', ['att_1'])]
    const ref = { attachmentId: 'att_1', name: 'a.png', type: 'image/png' as const, size: 10, thumbnail: false }
    const results: AppendResult[] = reqs.map((r, i) => ({
      ok: true, duplicate: false, visitorId: 'v', opened: null,
      message: { brandId: 'b', convId: 'c', seq: i + 1, clientMsgId: r.clientMsgId, from: r.from, text: r.text, at: r.at, ...(i === 1 ? { attachments: [ref] } : {}) },
    }))
    const packed = packAppendResults(reqs, results)
    expect(packed[0]).toEqual([1, 'v'])
    expect(Array.isArray(packed[1])).toBe(false)
    const back = unpackAppendResults(reqs, structuredClone(packed))
    expect(back).toEqual(results)
  })
})
