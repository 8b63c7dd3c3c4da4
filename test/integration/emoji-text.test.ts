import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PREVIEW_MAX } from '@parley/sdk/contract'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand } from '../helpers/brand.js'
import { callRest } from '../helpers/rest.js'
import { connectAgent, connectVisitor, frameOf, openAndJoin, sendAndAck } from '../helpers/delivery-chat.js'
import { storedMessages } from '../helpers/delivery-transcript.js'

// Emoji as text on a real relay and SQLite: ZWJ sequences, skin tones, flags and keycaps arrive,
// are masked around, stored, previewed and searched as whole characters, never split.

const FAMILY = '👩‍👩‍👧‍👦'
const THUMB = '👍🏽'
const FLAG = '🇳🇴'
const KEYCAP = '1️⃣'

/** Whether `s` is well-formed UTF-16 (no lone surrogate). */
const wellFormed = (s: string) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s)

describe('emoji in conversations', () => {
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay() })
  afterAll(async () => { await relay.close() })

  it('delivers and stores emoji both ways exactly, and masks a card beside them without touching them', async () => {
    const brand = await createTestBrand(relay)
    const agent = await createTestAgent(relay, brand.brandId)
    const a = (await connectAgent(relay, agent)).client
    const v = await connectVisitor(relay, brand)
    await openAndJoin(v.client, a, 'emoji-1', `Hi ${FAMILY}`)
    const text = `${THUMB}card 4111 1111 1111 1111${FLAG} ok ${KEYCAP}`
    const ack = await sendAndAck(v.client, 'emoji-1', 'e1', text)
    const live = await frameOf(a, 'message.new', (m) => m.clientMsgId === 'e1', 'live e1')
    expect(live.text).not.toContain('4111 1111')
    expect(live.text.startsWith(`${THUMB}card `)).toBe(true)
    expect(live.text.endsWith(`${FLAG} ok ${KEYCAP}`)).toBe(true)
    expect(ack.text ?? text).toBe(live.text)
    a.send({ type: 'message.send', convId: 'emoji-1', clientMsgId: 'e2', text: `Sure ${THUMB} ${FAMILY}` })
    const back = await frameOf(v.client, 'message.new', (m) => m.clientMsgId === 'e2', 'visitor gets e2')
    expect(back.text).toBe(`Sure ${THUMB} ${FAMILY}`)
    const stored = await storedMessages(relay, brand.apiKey, 'emoji-1')
    expect(stored.map((m) => m.text)).toEqual([`Hi ${FAMILY}`, live.text, `Sure ${THUMB} ${FAMILY}`])
  })

  it('cuts a long first message into a preview of whole emoji', async () => {
    const brand = await createTestBrand(relay)
    const agent = await createTestAgent(relay, brand.brandId)
    const a = (await connectAgent(relay, agent)).client
    const v = await connectVisitor(relay, brand)
    // 11 code units each: 140 falls inside the 13th family.
    const text = FAMILY.repeat(30)
    await sendAndAck(v.client, 'emoji-2', 'p1', text)
    const opened = await frameOf(a, 'conversation.opened', (f) => f.convId === 'emoji-2', 'opened')
    expect(opened.preview).toBe(FAMILY.repeat(12))
    a.send({ type: 'queue.list', ref: 'q' })
    const listed = await frameOf(a, 'queue.listed', (f) => f.ref === 'q', 'queue listed')
    const entry = listed.conversations.find((c) => c.convId === 'emoji-2')!
    expect(entry.preview).toBe(FAMILY.repeat(12))
    expect(entry.preview.length).toBeLessThanOrEqual(PREVIEW_MAX)
    expect(wellFormed(entry.preview)).toBe(true)
    const res = await callRest(relay, { url: '/v1/conversations', token: brand.apiKey })
    expect(res.status).toBe(200)
    const rest = (res.body as { conversations: { convId: string; preview: string }[] }).conversations.find((c) => c.convId === 'emoji-2')!
    expect(rest.preview).toBe(FAMILY.repeat(12))
  })

  it('finds a closed transcript by an emoji, a skin-toned emoji and a ZWJ family, each as a whole', async () => {
    const brand = await createTestBrand(relay)
    const agent = await createTestAgent(relay, brand.brandId)
    const a = (await connectAgent(relay, agent)).client
    const v = await connectVisitor(relay, brand)
    await openAndJoin(v.client, a, 'emoji-3', `pizza 🍕 for the ${FAMILY} please ${THUMB}`)
    const other = await connectVisitor(relay, brand)
    await openAndJoin(other.client, a, 'emoji-4', 'plain 👍 only')
    for (const convId of ['emoji-3', 'emoji-4']) {
      a.send({ type: 'conversation.close', convId, ref: `close-${convId}` })
      await frameOf(a, 'conversation.closed', (f) => f.convId === convId, `closed ${convId}`)
    }
    const found = async (q: string) => {
      const res = await callRest(relay, { url: `/v1/conversations?status=closed&q=${encodeURIComponent(q)}`, token: brand.apiKey })
      expect(res.status).toBe(200)
      return (res.body as { conversations: { convId: string }[] }).conversations.map((c) => c.convId).sort()
    }
    expect(await found('🍕')).toEqual(['emoji-3'])
    expect(await found(FAMILY)).toEqual(['emoji-3'])
    expect(await found(THUMB)).toEqual(['emoji-3'])
    expect(await found('👍')).toEqual(['emoji-4'])
    // One person of the family is not the family.
    expect(await found('👩')).toEqual([])
  })
})
