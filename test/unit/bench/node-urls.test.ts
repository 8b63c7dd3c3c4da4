import { describe, expect, it } from 'vitest'
import { conversationUrls } from '../../bench/protocols/node-urls.mjs'

// On a two-node target every delivery must cross the cluster's bus, so no conversation may have its
// visitor and its agent on the same node; and both nodes should take half the visitors.

const A = 'ws://127.0.0.1:1001/v1/live'
const B = 'ws://127.0.0.1:1002/v1/live'

describe('conversationUrls', () => {
  it('puts both sides on the one node of a single-node target', () => {
    expect([0, 1, 2].map((i) => conversationUrls({ url: A }, i))).toEqual([
      { visitor: A, agent: A }, { visitor: A, agent: A }, { visitor: A, agent: A },
    ])
  })

  it('puts each conversation\'s visitor and agent on different nodes of a two-node target', () => {
    const urls = Array.from({ length: 200 }, (_, i) => conversationUrls({ url: A, peerUrl: B }, i))
    expect(urls.filter((u) => u.visitor === u.agent)).toEqual([])
    expect(urls.every((u) => [A, B].includes(u.visitor) && [A, B].includes(u.agent))).toBe(true)
  })

  it('gives each node half of the visitors and half of the agents', () => {
    const urls = Array.from({ length: 200 }, (_, i) => conversationUrls({ url: A, peerUrl: B }, i))
    expect(urls.filter((u) => u.visitor === A)).toHaveLength(100)
    expect(urls.filter((u) => u.agent === A)).toHaveLength(100)
    expect(conversationUrls({ url: A, peerUrl: B }, 0)).toEqual({ visitor: A, agent: B })
    expect(conversationUrls({ url: A, peerUrl: B }, 1)).toEqual({ visitor: B, agent: A })
  })
})
