import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestBrand } from '../helpers/brand.js'
import { floorAgent, openChat, saveTeamSurvey } from '../helpers/routing-floor.js'
import { until } from '../helpers/until.js'

// conversation.transfer and conversation.decline refused: each refusal is typed and changes
// nothing (the chat keeps its holder, no note is stored). And a transfer to a skill's queue in
// manual mode: the chat waits again, for that skill, in every agent's queue.

describe('transfers and declines refused, and requeued by hand', () => {
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay() })
  afterAll(async () => { await relay.close() })

  /** A manual brand with Ann holding a chat and Ben (the plain agent role) beside her. */
  async function held() {
    const brand = await createTestBrand(relay)
    await saveTeamSurvey(relay, brand.brandId)
    const ann = await floorAgent(relay, brand.brandId, 'Ann', ['tech'])
    const ben = await floorAgent(relay, brand.brandId, 'Ben', ['billing'], 3, 'agent')
    const chat = await openChat(relay, brand, 'tech')
    ann.client.send({ type: 'conversation.accept', convId: chat.convId, ref: 'acc' })
    await ann.client.next('conversation.joined', (f) => f.ref === 'acc')
    return { brand, ann, ben, chat }
  }

  it('stores one note for a transfer to a skill retried with the same ref, a new one once the chat came back', async () => {
    const { brand, ann, ben, chat } = await held()
    const transfer = { type: 'conversation.transfer', convId: chat.convId, skill: 'billing', note: 'Refund asked', ref: 'q7' }
    ann.client.send(transfer)
    const first = await ann.client.next('conversation.requeued', (f) => f.ref === 'q7')
    // The answer was lost: the client retries the very frame. The chat now waits, so the hand-on check passes again.
    ann.client.send(transfer)
    await ann.client.next('conversation.requeued', (f) => f.ref === 'q7' && f !== first)
    const notes = await relay.deps.store.listNotes(brand.brandId, chat.convId)
    expect(notes.filter((n) => n.transfer).map((n) => n.text)).toEqual(['Refund asked'])
    // The chat comes back to Ann in a later session whose console numbers refs from the start again: a new note.
    ben.client.send({ type: 'conversation.accept', convId: chat.convId, ref: 'acc2' })
    await ben.client.next('conversation.joined', (f) => f.ref === 'acc2')
    ben.client.send({ type: 'conversation.transfer', convId: chat.convId, agentId: ann.agentId, ref: 'b1' })
    await ben.client.next('conversation.assigned', (f) => f.ref === 'b1')
    ann.client.send({ ...transfer, note: 'Still about the refund' })
    await ann.client.next('conversation.requeued', (f) => f.ref === 'q7' && f.at > first.at)
    const after = await relay.deps.store.listNotes(brand.brandId, chat.convId)
    expect(after.filter((n) => n.transfer).map((n) => n.text)).toEqual(['Refund asked', 'Still about the refund'])
  })

  it('tells the visitor of a requeued chat their place in the queue at once, and nothing of the note', async () => {
    const { ann, chat } = await held()
    const before = chat.client.all('queue.position', (f) => f.convId === chat.convId).length
    const sent = Date.now()
    ann.client.send({ type: 'conversation.transfer', convId: chat.convId, skill: 'billing', note: 'Angry about the refund', ref: 't' })
    await ann.client.next('conversation.requeued', (f) => f.ref === 't')
    const place = await until(() => chat.client.all('queue.position', (f) => f.convId === chat.convId)[before], 'queue.position after the requeue', 2000)
    expect(place.position).toBe(1)
    // Promptly: within the announcer's burst window, not at some later sweep.
    expect(Date.now() - sent).toBeLessThan(1500)
    const json = JSON.stringify(chat.client.frames)
    expect(json).not.toContain('Angry')
    expect(chat.client.frames.some((f) => f.type === 'conversation.requeued' || f.type === 'note.added')).toBe(false)
  })

  it('refuses decline and transfer from a visitor with PARLEY_ERR_PROTOCOL_ROLE', async () => {
    const { chat } = await held()
    chat.client.send({ type: 'conversation.decline', convId: chat.convId, ref: 'd' })
    expect(await chat.client.next('error', (f) => f.ref === 'd')).toMatchObject({ code: 'PARLEY_ERR_PROTOCOL_ROLE' })
    chat.client.send({ type: 'conversation.transfer', convId: chat.convId, skill: 'billing', ref: 't' })
    expect(await chat.client.next('error', (f) => f.ref === 't')).toMatchObject({ code: 'PARLEY_ERR_PROTOCOL_ROLE' })
  })

  it('refuses a transfer by an agent role who does not take part with PARLEY_ERR_AUTH_ROLE, and of another brand\'s chat with PARLEY_ERR_CONV_NOT_FOUND', async () => {
    const { brand, ann, ben, chat } = await held()
    ben.client.send({ type: 'conversation.transfer', convId: chat.convId, skill: 'billing', ref: 't1' })
    expect(await ben.client.next('error', (f) => f.ref === 't1')).toMatchObject({ code: 'PARLEY_ERR_AUTH_ROLE' })
    const stranger = await floorAgent(relay, (await createTestBrand(relay)).brandId, 'Sam', [])
    stranger.client.send({ type: 'conversation.transfer', convId: chat.convId, agentId: ben.agentId, ref: 't2' })
    expect(await stranger.client.next('error', (f) => f.ref === 't2')).toMatchObject({ code: 'PARLEY_ERR_CONV_NOT_FOUND' })
    expect((await relay.deps.store.getConversation(brand.brandId, chat.convId))?.assignedAgentId).toBe(ann.agentId)
  })

  it('refuses a blank note, or a transfer to an unknown colleague, storing no note and keeping the holder', async () => {
    const { brand, ann, chat } = await held()
    ann.client.send({ type: 'conversation.transfer', convId: chat.convId, skill: 'billing', note: ' \u200b ', ref: 't1' })
    expect(await ann.client.next('error', (f) => f.ref === 't1')).toMatchObject({ code: 'PARLEY_ERR_NOTE_EMPTY' })
    ann.client.send({ type: 'conversation.transfer', convId: chat.convId, agentId: 'a_nobody', note: 'over to you', ref: 't2' })
    expect(await ann.client.next('error', (f) => f.ref === 't2')).toMatchObject({ code: 'PARLEY_ERR_AGENT_NOT_FOUND' })
    const conv = await relay.deps.store.getConversation(brand.brandId, chat.convId)
    expect(conv).toMatchObject({ assignedAgentId: ann.agentId, routing: { skill: 'tech' } })
    expect(await relay.deps.store.listNotes(brand.brandId, chat.convId)).toEqual([])
  })

  it('puts a chat back in the queue of a skill in manual mode: every agent\'s queue lists it, its holder left it', async () => {
    const { brand, ann, ben, chat } = await held()
    ann.client.send({ type: 'conversation.transfer', convId: chat.convId, skill: 'billing', note: 'Refund question', ref: 't' })
    const mine = await ann.client.next('conversation.requeued', (f) => f.ref === 't')
    expect(mine).toMatchObject({ convId: chat.convId, by: { kind: 'agent', id: ann.agentId }, entry: { routing: { skill: 'billing' } } })
    await ben.client.next('conversation.requeued', (f) => f.convId === chat.convId)
    ben.client.send({ type: 'queue.list', ref: 'q' })
    const queue = await ben.client.next('queue.listed', (f) => f.ref === 'q')
    expect(queue.conversations.find((c) => c.convId === chat.convId)?.routing).toMatchObject({ skill: 'billing' })
    expect(await relay.deps.store.isParticipant(brand.brandId, chat.convId, { kind: 'agent', id: ann.agentId })).toBe(false)
    const notes = await relay.deps.store.listNotes(brand.brandId, chat.convId)
    expect(notes).toMatchObject([{ text: 'Refund question', transfer: true, author: { id: ann.agentId } }])
    // Requeued in manual mode: nothing is offered, and the visitor heard nothing of it.
    expect(ben.client.all('conversation.offered')).toEqual([])
    expect(chat.client.all('conversation.requeued')).toEqual([])
    expect(JSON.stringify(chat.client.frames)).not.toContain('Refund')
    // A waiting chat may be handed on by any agent of the brand, its former holder too.
    ann.client.send({ type: 'conversation.transfer', convId: chat.convId, skill: 'tech', ref: 't2' })
    await ann.client.next('conversation.requeued', (f) => f.ref === 't2')
  })
})
