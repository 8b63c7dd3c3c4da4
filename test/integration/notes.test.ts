import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Parley } from '@parley/sdk'
import type { Note } from '@parley/sdk/contract'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand, type TestBrand } from '../helpers/brand.js'
import { callRest } from '../helpers/rest.js'
import { expectErrorBody } from '../helpers/expect-error.js'
import { connectAgent, connectVisitor, frameOf, openAndJoin, sendAndAck } from '../helpers/delivery-chat.js'
import type { TestClient } from '../helpers/ws-client.js'
import { until } from '../helpers/until.js'

// Internal notes on the relay: masked like a message before anything else sees them, stored once
// per client note id, sent to the conversation's agents and never to its visitor, given to a joiner,
// and in the brand's transcript export.

const CARD = '4111 1111 1111 1111'

describe('internal notes', () => {
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay() })
  afterAll(async () => { await relay.close() })

  const listNotes = async (brand: TestBrand, convId: string): Promise<Note[]> => {
    const res = await callRest(relay, { url: `/v1/conversations/${convId}/notes`, token: brand.apiKey })
    expect(res.status, res.raw).toBe(200)
    return res.body.notes
  }
  const addNote = (client: TestClient, convId: string, clientNoteId: string, text: string, ref = `r-${clientNoteId}`) =>
    client.send({ type: 'note.add', convId, clientNoteId, text, ref })
  const added = (client: TestClient, ref: string) => frameOf(client, 'note.added', (f) => f.ref === ref, `note.added ${ref}`)
  /** Every frame the client received, as the text on the wire. */
  const wire = (client: TestClient) => client.frames.map((f) => JSON.stringify(f)).join('\n')

  /** A brand, a visitor's chat joined by agent A, and agent B of the brand joined too. */
  async function chat(convId: string) {
    const brand = await createTestBrand(relay)
    const agentA = await createTestAgent(relay, brand.brandId, 'Dana')
    const agentB = await createTestAgent(relay, brand.brandId, 'Sam')
    const a = await connectAgent(relay, agentA)
    const b = await connectAgent(relay, agentB)
    const v = await connectVisitor(relay, brand)
    await openAndJoin(v.client, a.client, convId)
    b.client.send({ type: 'conversation.join', convId, ref: 'join-b' })
    await frameOf(b.client, 'conversation.joined', (f) => f.ref === 'join-b')
    return { brand, agentA, agentB, a: a.client, b: b.client, v }
  }

  it('masks a note before it is stored or fanned out, sends it to the agents and never to the visitor', async () => {
    const c = await chat('conv-mask')
    addNote(c.a, 'conv-mask', 'n1', `visitor read me ${CARD} on the phone`)
    const mine = await added(c.a, 'r-n1')
    expect(mine.note).toMatchObject({ convId: 'conv-mask', clientNoteId: 'n1', author: { kind: 'agent', id: c.agentA.agentId, name: 'Dana' }, text: 'visitor read me [card] on the phone' })
    const theirs = await frameOf(c.b, 'note.added', (f) => f.note.clientNoteId === 'n1')
    expect(theirs.note).toEqual(mine.note)
    expect(theirs.ref).toBeUndefined()
    expect(await listNotes(c.brand, 'conv-mask')).toEqual([mine.note])
    // A message sent after the note reaches the visitor: anything sent before it would have arrived first.
    await sendAndAck(c.a, 'conv-mask', 'after', 'back in a moment')
    await frameOf(c.v.client, 'message.new', (f) => f.clientMsgId === 'after')
    expect(c.v.client.all('note.added')).toEqual([])
    expect(wire(c.v.client)).not.toContain('visitor read me')
    expect(wire(c.a) + wire(c.b)).not.toContain(CARD)
  })

  it('answers a retry of the same clientNoteId with the same note, stores it once and tells colleagues once', async () => {
    const c = await chat('conv-retry')
    addNote(c.a, 'conv-retry', 'n1', 'first try', 'r1')
    const first = await added(c.a, 'r1')
    addNote(c.a, 'conv-retry', 'n1', 'first try', 'r2')
    const second = await added(c.a, 'r2')
    expect(second.note).toEqual(first.note)
    expect(await listNotes(c.brand, 'conv-retry')).toHaveLength(1)
    addNote(c.a, 'conv-retry', 'n2', 'second note', 'r3')
    await frameOf(c.b, 'note.added', (f) => f.note.clientNoteId === 'n2')
    expect(c.b.all('note.added').map((f) => f.note.clientNoteId)).toEqual(['n1', 'n2'])
  })

  it('refuses a visitor with PARLEY_ERR_PROTOCOL_ROLE, and blank text with PARLEY_ERR_NOTE_EMPTY, storing nothing', async () => {
    const c = await chat('conv-refuse')
    addNote(c.v.client, 'conv-refuse', 'v1', 'a visitor note', 'rv')
    expect((await c.v.client.error('PARLEY_ERR_PROTOCOL_ROLE')).ref).toBe('rv')
    addNote(c.a, 'conv-refuse', 'blank', ' \n\t ', 'rb')
    expect((await c.a.error('PARLEY_ERR_NOTE_EMPTY')).ref).toBe('rb')
    // Control characters alone are blank too, once the pipeline removed them.
    addNote(c.a, 'conv-refuse', 'ctl', '\u0007\u0008', 'rc')
    await until(() => c.a.all('error', (e) => e.ref === 'rc').length === 1, 'refusal of rc')
    expect(c.a.all('error', (e) => e.ref === 'rc')[0]!.code).toBe('PARLEY_ERR_NOTE_EMPTY')
    expect(await listNotes(c.brand, 'conv-refuse')).toEqual([])
  })

  it("refuses another brand's agent as not found, and an agent of the brand who is not in a taken chat as not joined", async () => {
    const brand = await createTestBrand(relay)
    const holder = await connectAgent(relay, await createTestAgent(relay, brand.brandId))
    const bystander = await connectAgent(relay, await createTestAgent(relay, brand.brandId))
    const stranger = await connectAgent(relay, await createTestAgent(relay, (await createTestBrand(relay)).brandId))
    const v = await connectVisitor(relay, brand)
    await sendAndAck(v.client, 'conv-taken', 'm1', 'hello')
    holder.client.send({ type: 'conversation.accept', convId: 'conv-taken', ref: 'acc' })
    await frameOf(holder.client, 'conversation.joined', (f) => f.ref === 'acc')
    addNote(stranger.client, 'conv-taken', 's1', 'not my brand', 'rs')
    expect((await stranger.client.error('PARLEY_ERR_CONV_NOT_FOUND')).ref).toBe('rs')
    addNote(bystander.client, 'conv-taken', 'b1', 'not my chat', 'rb')
    expect((await bystander.client.error('PARLEY_ERR_CONV_NOT_JOINED')).ref).toBe('rb')
    expect(await listNotes(brand, 'conv-taken')).toEqual([])
  })

  it('lets any agent of the brand write a note in a waiting chat, and gives the notes to whoever joins it', async () => {
    const brand = await createTestBrand(relay)
    const first = await connectAgent(relay, await createTestAgent(relay, brand.brandId, 'Dana'))
    const v = await connectVisitor(relay, brand)
    await sendAndAck(v.client, 'conv-wait', 'm1', 'hello?')
    addNote(first.client, 'conv-wait', 'w1', 'VIP customer, be quick', 'rw1')
    addNote(first.client, 'conv-wait', 'w2', 'asked about refunds before', 'rw2')
    await added(first.client, 'rw2')
    const joiner = await connectAgent(relay, await createTestAgent(relay, brand.brandId, 'Sam'))
    joiner.client.send({ type: 'conversation.accept', convId: 'conv-wait', ref: 'acc' })
    const joined = await frameOf(joiner.client, 'conversation.joined', (f) => f.ref === 'acc')
    expect(joined.notes?.map((n) => n.text)).toEqual(['VIP customer, be quick', 'asked about refunds before'])
    // What the visitor hears of the accept carries no note.
    await sendAndAck(joiner.client, 'conv-wait', 'hi', 'Hi, Sam here')
    await frameOf(v.client, 'message.new', (f) => f.clientMsgId === 'hi')
    expect(wire(v.client)).not.toContain('VIP customer')
    expect(wire(v.client)).not.toContain('refunds')
  })

  it("puts the notes in the brand's export, and lets neither a visitor nor another brand read them", async () => {
    const c = await chat('conv-export')
    await sendAndAck(c.v.client, 'conv-export', 'm2', 'thanks')
    addNote(c.b, 'conv-export', 'e1', 'follow up by e-mail', 're1')
    const note = (await added(c.b, 're1')).note
    const parley = new Parley({ relay: relay.url, apiKey: c.brand.apiKey })
    const t = await parley.conversations.transcript('conv-export')
    expect(t.conversation.convId).toBe('conv-export')
    expect(t.messages.map((m) => m.text)).toEqual(['hello', 'thanks'])
    expect(t.notes).toEqual([note])
    expect(t.responses).toEqual([])
    expect(await parley.conversations.notes('conv-export')).toEqual([note])
    // An agent of the brand reads them over REST too.
    const byAgent = await callRest(relay, { url: '/v1/conversations/conv-export/notes', token: c.agentA.token })
    expect(byAgent.body).toEqual({ notes: [note] })
    expectErrorBody(await callRest(relay, { url: '/v1/conversations/conv-export/notes', token: c.v.token }), 'PARLEY_ERR_AUTH_FORBIDDEN')
    const other = await createTestBrand(relay)
    expectErrorBody(await callRest(relay, { url: '/v1/conversations/conv-export/notes', token: other.apiKey }), 'PARLEY_ERR_CONV_NOT_FOUND')
    // The visitor's own transcript over REST is the messages, without a note.
    const own = await callRest(relay, { url: '/v1/conversations/conv-export/messages', token: c.v.token })
    expect(own.status, own.raw).toBe(200)
    expect(own.raw).not.toContain('follow up by e-mail')
  })
})
