import { describe, expect, it } from 'vitest'
import type { MessageNew } from '@parley/sdk/contract'
import { INITIAL, reduce } from '../../../widget/src/consumer/state.js'

// Parley('forget'): the view starts over as a new visitor; only how the window sits on the page stays.

const msg = (seq: number, text: string): MessageNew => ({
  type: 'message.new', convId: 'c1', seq, clientMsgId: `m${seq}`, from: { kind: 'agent', id: 'a', name: 'Dana' }, text, at: seq,
})

describe('consumer widget after forget', () => {
  it('shows a fresh visitor, keeping the window open or hidden as it was', () => {
    let s = reduce(INITIAL, { type: 'open' })
    s = reduce(s, { type: 'started', convId: 'c1' })
    s = reduce(s, { type: 'message', message: msg(1, 'Your order ships today'), mine: false })
    s = reduce(s, { type: 'assigned', name: 'Dana' })
    s = reduce(s, { type: 'hidden', hidden: true })
    const after = reduce(s, { type: 'forgotten' })
    expect(after).toEqual({ ...INITIAL, open: true, hidden: true })
  })
})
