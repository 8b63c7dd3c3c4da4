import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand, type TestBrand } from '../helpers/brand.js'
import { callRest } from '../helpers/rest.js'
import { expectErrorBody } from '../helpers/expect-error.js'
import { connectAgent, connectVisitor, frameOf, openAndJoin, sendAndAck } from '../helpers/delivery-chat.js'
import { storedConversation, storedMessages } from '../helpers/delivery-transcript.js'
import { listBrandConversations } from '../helpers/transcript.js'

// Masking at the relay: the brand's configuration over REST (/v1/masking), and what the relay
// stores and fans out when a client that masks nothing itself (a raw WebSocket) sends a card number.

const CARD = '4111 1111 1111 1111'

describe('masking at the relay', () => {
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay() })
  afterAll(async () => { await relay.close() })

  const put = (brand: TestBrand, body: unknown) => callRest(relay, { method: 'PUT', url: '/v1/masking', token: brand.apiKey, body })
  const patch = (brand: TestBrand, body: unknown) =>
    callRest(relay, { method: 'PATCH', url: '/v1/masking', token: brand.apiKey, body, headers: { 'content-type': 'application/merge-patch+json' } })
  const read = async (brand: TestBrand) => (await callRest(relay, { url: '/v1/masking', token: brand.apiKey })).body

  describe('/v1/masking', () => {
    it('answers {} for a brand that never saved a configuration, and what was saved after a PUT', async () => {
      const brand = await createTestBrand(relay)
      expect(await read(brand)).toEqual({})
      const config = { card: { keep: 'first6last4' }, email: { enabled: true, replacement: '[e-mail]' } }
      const res = await put(brand, config)
      expect(res.status, res.raw).toBe(200)
      expect(await read(brand)).toEqual(config)
    })

    it('merges a PATCH into the saved configuration: null removes a detector setting', async () => {
      const brand = await createTestBrand(relay)
      await put(brand, { email: { enabled: true }, phone: { enabled: true } })
      const res = await patch(brand, { phone: null, card: { replacement: '[number]' } })
      expect(res.status, res.raw).toBe(200)
      expect(await read(brand)).toEqual({ email: { enabled: true }, card: { replacement: '[number]' } })
    })

    it('refuses a document with an unknown detector with 400 PARLEY_ERR_REQUEST_INVALID and keeps the saved one', async () => {
      const brand = await createTestBrand(relay)
      await put(brand, { email: { enabled: true } })
      expectErrorBody(await put(brand, { passport: { enabled: true } }), 'PARLEY_ERR_REQUEST_INVALID')
      expectErrorBody(await patch(brand, { passport: { enabled: true } }), 'PARLEY_ERR_REQUEST_INVALID')
      expect(await read(brand)).toEqual({ email: { enabled: true } })
    })

    it.each([
      ['a nested quantifier', '(a+)+$'],
      ['a backreference', '(x)\\1'],
      ['a lookahead', 'id(?=[0-9])'],
      ['a pattern the engine cannot parse', 'order[0-9'],
    ])('refuses %s with 400 PARLEY_ERR_MASKING_PATTERN naming the pattern, and saves nothing', async (_what, pattern) => {
      const brand = await createTestBrand(relay)
      const res = await put(brand, { patterns: [{ name: 'fine', pattern: 'ORD-[0-9]{6}' }, { name: 'hostile one', pattern }] })
      expectErrorBody(res, 'PARLEY_ERR_MASKING_PATTERN')
      expect(res.body.message).toContain('hostile one')
      expectErrorBody(await patch(brand, { patterns: [{ name: 'hostile one', pattern }] }), 'PARLEY_ERR_MASKING_PATTERN')
      expect(await read(brand)).toEqual({})
    })

    it("lets the brand's agents read it (the console masks with it) but not write it; no credential gets 401", async () => {
      const brand = await createTestBrand(relay)
      const agent = await createTestAgent(relay, brand.brandId)
      for (const method of ['PUT', 'PATCH'] as const) {
        const body = { email: { enabled: true } }
        expectErrorBody(await callRest(relay, { method, url: '/v1/masking', token: agent.token, body }), 'PARLEY_ERR_AUTH_ROLE')
      }
      for (const method of ['GET', 'PUT', 'PATCH'] as const) {
        const body = method === 'GET' ? undefined : { email: { enabled: true } }
        expectErrorBody(await callRest(relay, { method, url: '/v1/masking', body }), 'PARLEY_ERR_AUTH_REQUIRED')
      }
      expect(await read(brand)).toEqual({})
      await put(brand, { card: { replacement: '[number]' } })
      const res = await callRest(relay, { url: '/v1/masking', token: agent.token })
      expect(res.status, res.raw).toBe(200)
      expect(res.body).toEqual({ card: { replacement: '[number]' } })
      // Another brand's agent reads its own brand's document, never this one.
      const other = await createTestAgent(relay, (await createTestBrand(relay)).brandId)
      expect((await callRest(relay, { url: '/v1/masking', token: other.token })).body).toEqual({})
    })

    it('puts the configuration in the public site config, whose ETag changes with it', async () => {
      const brand = await createTestBrand(relay)
      const site = () => callRest(relay, { url: `/v1/sites/${brand.siteKey}/config` })
      const before = await site()
      expect(before.body.masking).toBeUndefined()
      await put(brand, { email: { enabled: true } })
      const after = await site()
      expect(after.body.masking).toEqual({ email: { enabled: true } })
      expect(after.headers.etag).not.toBe(before.headers.etag)
    })
  })

  describe('messages', () => {
    it('stores, acks and fans out a card number from a raw WebSocket client masked; the original is nowhere', async () => {
      const brand = await createTestBrand(relay)
      const agent = await createTestAgent(relay, brand.brandId)
      const a = await connectAgent(relay, agent)
      const v = await connectVisitor(relay, brand)
      await openAndJoin(v.client, a.client, 'conv-card')
      const ack = await sendAndAck(v.client, 'conv-card', 'm-card', `my card is ${CARD} thanks`)
      expect(ack.text).toBe('my card is [card] thanks')
      const fanned = await frameOf(a.client, 'message.new', (f) => f.clientMsgId === 'm-card')
      expect(fanned.text).toBe('my card is [card] thanks')
      expect((await storedMessages(relay, brand.apiKey, 'conv-card')).map((m) => m.text)).toEqual(['hello', 'my card is [card] thanks'])
      // A resend of the same message gets the stored (masked) text back, never the original.
      const again = await sendAndAck(v.client, 'conv-card', 'm-card', `my card is ${CARD} thanks`)
      expect(again.text).toBe('my card is [card] thanks')
    })

    it('masks an agent\'s messages too', async () => {
      const brand = await createTestBrand(relay)
      const agent = await createTestAgent(relay, brand.brandId)
      const a = await connectAgent(relay, agent)
      const v = await connectVisitor(relay, brand)
      await openAndJoin(v.client, a.client, 'conv-agent')
      const ack = await sendAndAck(a.client, 'conv-agent', 'a-1', `is it ${CARD}?`)
      expect(ack.text).toBe('is it [card]?')
      expect((await frameOf(v.client, 'message.new', (f) => f.clientMsgId === 'a-1')).text).toBe('is it [card]?')
    })

    it('masks with a configuration saved a moment ago: turning card numbers off keeps them from then on', async () => {
      const brand = await createTestBrand(relay)
      const v = await connectVisitor(relay, brand)
      expect((await sendAndAck(v.client, 'conv-switch', 'm1', CARD)).text).toBe('[card]')
      await put(brand, { card: { enabled: false }, securityCode: { enabled: false } })
      const ack = await sendAndAck(v.client, 'conv-switch', 'm2', CARD)
      expect(ack.text).toBeUndefined()
      await put(brand, { card: { replacement: '[number]' } })
      expect((await sendAndAck(v.client, 'conv-switch', 'm3', CARD)).text).toBe('[number]')
      expect((await storedMessages(relay, brand.apiKey, 'conv-switch')).map((m) => m.text)).toEqual(['[card]', CARD, '[number]'])
    })

    it('refuses with PARLEY_ERR_MESSAGE_TOO_LONG a message that masking grows past maxTextLength, and stores nothing of it', async () => {
      const brand = await createTestBrand(relay)
      const replacement = '[a card number was removed from here]'
      expect((await put(brand, { card: { replacement } })).status).toBe(200)
      const v = await connectVisitor(relay, brand)
      const BARE = CARD.replaceAll(' ', '')
      const grows = replacement.length - BARE.length
      // 4000 characters as sent; 4000 + `grows` once masked.
      const long = `${BARE} ${'x'.repeat(4000 - BARE.length - 1)}`
      v.client.send({ type: 'message.send', convId: 'conv-long', clientMsgId: 'm-long', text: long })
      const err = await frameOf(v.client, 'error', (e) => e.ref === 'm-long')
      expect(err.code).toBe('PARLEY_ERR_MESSAGE_TOO_LONG')
      expect(err.message).toContain(String(4000 + grows))
      // Just at the limit once masked: stored.
      const fits = `${BARE} ${'x'.repeat(4000 - grows - BARE.length - 1)}`
      const ack = await sendAndAck(v.client, 'conv-long', 'm-fits', fits)
      expect(ack.text).toHaveLength(4000)
      expect((await storedMessages(relay, brand.apiKey, 'conv-long')).map((m) => m.clientMsgId)).toEqual(['m-fits'])
    })

    it('refuses with PARLEY_ERR_MESSAGE_REFUSED a message whose conversation or message id hides a card number; nothing is stored or shown', async () => {
      const brand = await createTestBrand(relay)
      const agent = await createTestAgent(relay, brand.brandId)
      const a = await connectAgent(relay, agent)
      const v = await connectVisitor(relay, brand)
      const BARE = CARD.replaceAll(' ', '')
      v.client.send({ type: 'message.send', convId: BARE, clientMsgId: 'm-conv-id', text: 'hi' })
      const byConv = await frameOf(v.client, 'error', (e) => e.ref === 'm-conv-id')
      expect(byConv.code).toBe('PARLEY_ERR_MESSAGE_REFUSED')
      expect(byConv.message).toContain('conversation id')
      v.client.send({ type: 'message.send', convId: 'conv-ids', clientMsgId: `c${BARE}`, text: 'hi' })
      const byMsg = await frameOf(v.client, 'error', (e) => e.code === 'PARLEY_ERR_MESSAGE_REFUSED' && e.message.includes('message id'))
      expect(byMsg.ref).toBeUndefined()
      expect(JSON.stringify(v.client.frames)).not.toContain(BARE)
      // The connection goes on; what was refused was neither stored nor shown to the agent.
      expect((await sendAndAck(v.client, 'conv-ids', 'm-ok', 'hi')).seq).toBe(1)
      await frameOf(a.client, 'conversation.opened', (f) => f.convId === 'conv-ids')
      expect((await listBrandConversations(relay, brand)).map((c) => c.convId)).toEqual(['conv-ids'])
      expect((await storedMessages(relay, brand.apiKey, 'conv-ids')).map((m) => m.clientMsgId)).toEqual(['m-ok'])
      expect(JSON.stringify(a.client.frames)).not.toContain(BARE)
    })

    it("does not refuse an id that only the brand's own pattern matches (the widget's random ids look like tokens)", async () => {
      const brand = await createTestBrand(relay)
      expect((await put(brand, { patterns: [{ name: 'token', pattern: '[A-Za-z0-9]{20,}', replacement: '[token]' }] })).status).toBe(200)
      const v = await connectVisitor(relay, brand)
      const ack = await sendAndAck(v.client, 'V1StGXR8Z5jdHi6BmyT0a', 'xK3rT9pQ2mW7vN4bL8cZd', 'hi')
      expect(ack.seq).toBe(1)
    })

    it("masks the brand's own pattern", async () => {
      const brand = await createTestBrand(relay)
      expect((await put(brand, { patterns: [{ name: 'order', pattern: 'ORD-[0-9]{6}', replacement: '[order]' }] })).status).toBe(200)
      const v = await connectVisitor(relay, brand)
      expect((await sendAndAck(v.client, 'conv-pattern', 'm1', 'about ORD-123456 please')).text).toBe('about [order] please')
    })
  })

  describe('visitor context', () => {
    const values = { plan: 'pro', note: `card ${CARD}`, seats: 4 }

    it('masks the page url, title, referrer and Parley(\'set\') text values of hello before storing or showing them', async () => {
      const brand = await createTestBrand(relay)
      const agent = await createTestAgent(relay, brand.brandId)
      const a = await connectAgent(relay, agent)
      const context = {
        url: `https://shop.example/pay?card=${CARD.replaceAll(' ', '-')}`, title: `Paying with ${CARD}`,
        referrer: `https://ref.example/?n=${CARD.replaceAll(' ', '')}`, language: 'en', values,
      }
      const v = await connectVisitor(relay, brand, { context })
      await sendAndAck(v.client, 'conv-ctx', 'm1', 'hi')
      const masked = {
        url: 'https://shop.example/pay?card=[card]', title: 'Paying with [card]', referrer: 'https://ref.example/?n=[card]',
        language: 'en', values: { plan: 'pro', note: 'card [card]', seats: 4 },
      }
      expect((await frameOf(a.client, 'conversation.opened', (f) => f.convId === 'conv-ctx')).context).toEqual(masked)
      expect(await storedConversation(relay, brand.apiKey, 'conv-ctx')).toMatchObject({ context: masked })
    })

    // A raw WebSocket client (not the widget) can put a card number in any field, in a number value
    // or in a value's name.
    const BARE = CARD.replaceAll(' ', '')
    const hostile = {
      userAgent: `Mozilla/5.0 ${BARE}`, language: BARE, timezone: `Europe/${BARE}`, screen: BARE,
      values: { plan: 'pro', seats: 4, paid: Number(BARE), [`c${BARE}`]: 'x', ok: true },
    }
    const hostileMasked = {
      userAgent: 'Mozilla/5.0 [card]', language: '[card]', timezone: 'Europe/[card]', screen: '[card]',
      values: { plan: 'pro', seats: 4, paid: '[card]', ok: true },
    }

    it('masks every text field, number values and value names of a raw client\'s hello', async () => {
      const brand = await createTestBrand(relay)
      const agent = await createTestAgent(relay, brand.brandId)
      const a = await connectAgent(relay, agent)
      const v = await connectVisitor(relay, brand, { context: hostile })
      await sendAndAck(v.client, 'conv-hostile', 'm1', 'hi')
      const opened = await frameOf(a.client, 'conversation.opened', (f) => f.convId === 'conv-hostile')
      expect(opened.context).toEqual(hostileMasked)
      expect(JSON.stringify(opened)).not.toContain(BARE)
      expect(await storedConversation(relay, brand.apiKey, 'conv-hostile')).toMatchObject({ context: hostileMasked })
    })

    it('masks every text field, number values and value names of a raw client\'s context.update', async () => {
      const brand = await createTestBrand(relay)
      const agent = await createTestAgent(relay, brand.brandId)
      const a = await connectAgent(relay, agent)
      const v = await connectVisitor(relay, brand)
      await openAndJoin(v.client, a.client, 'conv-hostile-upd')
      v.client.send({ type: 'context.update', context: hostile })
      const updated = await frameOf(a.client, 'context.updated', (f) => f.convId === 'conv-hostile-upd')
      expect(updated.context).toEqual(hostileMasked)
      const stored = await storedConversation(relay, brand.apiKey, 'conv-hostile-upd')
      expect(stored).toMatchObject({ context: hostileMasked })
      expect(JSON.stringify(stored)).not.toContain(BARE)
    })

    it('masks an e-mail in the query string of the page url once the brand turns e-mail detection on', async () => {
      const brand = await createTestBrand(relay)
      const url = 'https://shop.example/reset?email=ann%40mail.example&step=2'
      const before = await connectVisitor(relay, brand, { context: { url } })
      await sendAndAck(before.client, 'conv-mail-off', 'm1', 'hi')
      expect(await storedConversation(relay, brand.apiKey, 'conv-mail-off')).toMatchObject({ context: { url } })
      await put(brand, { email: { enabled: true } })
      const after = await connectVisitor(relay, brand, { context: { url } })
      await sendAndAck(after.client, 'conv-mail-on', 'm1', 'hi')
      expect(await storedConversation(relay, brand.apiKey, 'conv-mail-on')).toMatchObject({ context: { url: 'https://shop.example/reset?email=[email]&step=2' } })
    })

    it('masks a context.update before storing it or showing it to the agents', async () => {
      const brand = await createTestBrand(relay)
      const agent = await createTestAgent(relay, brand.brandId)
      const a = await connectAgent(relay, agent)
      const v = await connectVisitor(relay, brand)
      await openAndJoin(v.client, a.client, 'conv-upd')
      v.client.send({ type: 'context.update', context: { url: `https://shop.example/?c=${CARD.replaceAll(' ', '')}`, values } })
      const updated = await frameOf(a.client, 'context.updated', (f) => f.convId === 'conv-upd')
      expect(updated.context).toEqual({ url: 'https://shop.example/?c=[card]', values: { plan: 'pro', note: 'card [card]', seats: 4 } })
      expect(await storedConversation(relay, brand.apiKey, 'conv-upd')).toMatchObject({ context: updated.context })
    })
  })
})
