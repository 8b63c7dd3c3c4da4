import { describe, expect, it } from 'vitest'
import { ConflictError, NotFoundError } from '@parley/sdk'
import { connectVisitor, sendAndAck } from '../helpers/delivery-chat.js'
import { rejection, sdkRelay } from '../helpers/sdk-relay.js'

// parley.visitors.erase and parley.erasures against a real relay: the receipt, a scheduled request
// listed, read and cancelled, and the typed errors.

describe('parley.visitors.erase and parley.erasures', () => {
  const s = sdkRelay()

  async function visitorWithChat(): Promise<string> {
    const v = await connectVisitor(s.relay, s.brand)
    await sendAndAck(v.client, `c_${v.visitorId.slice(-8)}`, 'm1', 'hello there')
    return v.visitorId
  }

  it('erases at once and resolves with the receipt, which erasures.get returns too', async () => {
    const visitorId = await visitorWithChat()
    const receipt = await s.parley.visitors.erase({ visitorId }, { graceDays: 0 })
    expect(receipt).toMatchObject({ visitorIds: [visitorId], selector: 'visitorId', removed: { conversations: 1, messages: 1 } })
    expect(await s.parley.erasures.get(receipt.requestId)).toMatchObject({ status: 'done', receipt })
  })

  it('schedules with graceDays, lists the request and cancels it; a second cancel is a ConflictError', async () => {
    const visitorId = await visitorWithChat()
    const scheduled = await s.parley.visitors.erase({ visitorId }, { graceDays: 7 })
    expect(scheduled).toMatchObject({ status: 'scheduled', selector: 'visitorId' })
    const requestId = (scheduled as { requestId: string }).requestId
    expect((await s.parley.erasures.list()).map((r) => r.requestId)).toContain(requestId)
    expect(await s.parley.erasures.cancel(requestId)).toMatchObject({ status: 'cancelled' })
    const again = await rejection(s.parley.erasures.cancel(requestId))
    expect(again).toBeInstanceOf(ConflictError)
    expect(again.code).toBe('PARLEY_ERR_ERASURE_NOT_CANCELLABLE')
  })

  it('throws NotFoundError for an unknown visitor and an unknown request', async () => {
    const visitor = await rejection(s.parley.visitors.erase({ email: 'no-one@example.com' }))
    expect(visitor).toBeInstanceOf(NotFoundError)
    expect(visitor.code).toBe('PARLEY_ERR_VISITOR_NOT_FOUND')
    const request = await rejection(s.parley.erasures.get('er_nope'))
    expect(request).toBeInstanceOf(NotFoundError)
    expect(request.code).toBe('PARLEY_ERR_ERASURE_NOT_FOUND')
  })
})
