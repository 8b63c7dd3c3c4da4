import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Participant } from '@parley/sdk/contract'
import type { Store } from '../../../../server/src/store/store.js'
import { STORES, type OpenedStore } from '../../../helpers/stores.js'
import { createStoreBrand } from '../../../helpers/brand.js'

// updateVisitorContext: a visitor's latest context reaches their open conversations (and only
// those: not closed ones, not another visitor's, not another brand's).

const id = (prefix: string) => `${prefix}${randomBytes(8).toString('hex')}`

describe.each(STORES)('$name store: visitor context', (factory) => {
  let opened: OpenedStore
  let store: Store
  beforeAll(async () => { opened = await factory.create(); store = opened.store })
  afterAll(async () => { await opened.dispose() })

  async function open(brandId: string, v: Participant, at: number): Promise<string> {
    const convId = id('c_')
    const [r] = await store.appendMessages([{ brandId, convId, clientMsgId: id('m'), from: v, text: 'hi', at, context: { url: 'https://shop.example/' } }])
    expect(r!.ok).toBe(true)
    return convId
  }

  it("stores the context on the visitor's open conversations and returns them, leaving closed ones as they were", async () => {
    const b = await createStoreBrand(store)
    const v: Participant = { kind: 'visitor', id: id('v_') }
    const [first, second, closed] = [await open(b, v, 1000), await open(b, v, 2000), await open(b, v, 3000)]
    await store.closeConversation(b, closed, v, 3500)
    const context = { url: 'https://shop.example/checkout', language: 'de' }
    const updated = await store.updateVisitorContext(b, v.id, context)
    expect(updated.map((c) => c.convId).sort()).toEqual([first, second].sort())
    expect(updated.every((c) => c.status === 'open' && JSON.stringify(c.context) === JSON.stringify(context))).toBe(true)
    expect((await store.getConversation(b, first))?.context).toEqual(context)
    expect((await store.getConversation(b, closed))?.context).toEqual({ url: 'https://shop.example/' })
  })

  it("changes nothing of another visitor's or another brand's conversations", async () => {
    const [a, other] = [await createStoreBrand(store), await createStoreBrand(store)]
    const v: Participant = { kind: 'visitor', id: id('v_') }
    const mine = await open(a, v, 1000)
    const someoneElse = await open(a, { kind: 'visitor', id: id('v_') }, 1000)
    expect(await store.updateVisitorContext(other, v.id, { url: 'https://evil.example/' })).toEqual([])
    expect(await store.updateVisitorContext(a, id('v_'), { url: 'https://evil.example/' })).toEqual([])
    expect((await store.getConversation(a, mine))?.context).toEqual({ url: 'https://shop.example/' })
    expect((await store.getConversation(a, someoneElse))?.context).toEqual({ url: 'https://shop.example/' })
  })
})
