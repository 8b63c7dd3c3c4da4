import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { NewNote, Store } from '../../../../server/src/store/store.js'
import { STORES, type OpenedStore } from '../../../helpers/stores.js'
import { createStoreBrand } from '../../../helpers/brand.js'

// Internal notes in the store: stored once per (brand, author, clientNoteId), listed oldest first,
// and only within the brand whose conversation they belong to.

const id = (prefix: string) => `${prefix}${randomBytes(8).toString('hex')}`

describe.each(STORES)('$name store: notes', (factory) => {
  let opened: OpenedStore
  let store: Store
  beforeAll(async () => { opened = await factory.create(); store = opened.store })
  afterAll(async () => { await opened.dispose() })

  /** A brand with a visitor's conversation and an agent. */
  async function conversation() {
    const brandId = await createStoreBrand(store, { allowedOrigins: [`https://${id('o')}.example`], createdAt: 1000 })
    const agentId = id('a_')
    await store.createAgent({ brandId, agentId, email: `${agentId}@agents.example`, name: 'Dana', passwordHash: 'scrypt$x', createdAt: 1000 })
    const convId = id('c_')
    const [r] = await store.appendMessages([{ brandId, convId, clientMsgId: 'm1', from: { kind: 'visitor', id: id('v_') }, text: 'hi', at: 2000, context: null }])
    expect(r!.ok).toBe(true)
    return { brandId, agentId, convId }
  }

  const note = (c: { brandId: string; agentId: string; convId: string }, over: Partial<NewNote> = {}): NewNote => ({
    brandId: c.brandId, convId: c.convId, noteId: id('n_'), clientNoteId: id('cn_'),
    author: { kind: 'agent', id: c.agentId, name: 'Dana' }, text: 'call back tomorrow', at: 3000, ...over,
  })

  it('stores a note and lists it with its author, without the brand', async () => {
    const c = await conversation()
    const n = note(c)
    const r = await store.addNote(n)
    const { brandId: _b, ...stored } = n
    expect(r).toEqual({ ok: true, note: stored, duplicate: false })
    expect(await store.listNotes(c.brandId, c.convId)).toEqual([stored])
  })

  it('refuses a note from an agent who does not take part in a chat another agent holds, with CONV_NOT_JOINED', async () => {
    const c = await conversation()
    const holder = id('a_')
    await store.createAgent({ brandId: c.brandId, agentId: holder, email: `${holder}@agents.example`, name: 'Holder', passwordHash: 'scrypt$x', createdAt: 1000 })
    expect((await store.assignConversation(c.brandId, c.convId, holder, 2500, { onlyIfWaiting: true })).ok).toBe(true)
    expect(await store.addNote(note(c))).toEqual({ ok: false, code: 'PARLEY_ERR_CONV_NOT_JOINED' })
    expect(await store.listNotes(c.brandId, c.convId)).toEqual([])
  })

  it('refuses the note of an agent who handed the chat on before it was stored, but stores their transfer note', async () => {
    const c = await conversation()
    const next = id('a_')
    await store.createAgent({ brandId: c.brandId, agentId: next, email: `${next}@agents.example`, name: 'Next', passwordHash: 'scrypt$x', createdAt: 1000 })
    expect((await store.assignConversation(c.brandId, c.convId, c.agentId, 2500, { onlyIfWaiting: true })).ok).toBe(true)
    expect((await store.assignConversation(c.brandId, c.convId, next, 2600, { onlyIfWaiting: false, leaving: c.agentId })).ok).toBe(true)
    expect(await store.addNote(note(c))).toEqual({ ok: false, code: 'PARLEY_ERR_CONV_NOT_JOINED' })
    const transfer = await store.addNote(note(c, { transfer: true }))
    expect(transfer.ok && transfer.note.transfer).toBe(true)
  })

  it('answers a retry of the same clientNoteId with the note stored first, and stores it once', async () => {
    const c = await conversation()
    const first = note(c)
    await store.addNote(first)
    const retry = await store.addNote(note(c, { clientNoteId: first.clientNoteId, text: 'something else', at: 9000 }))
    expect(retry.ok && retry.duplicate).toBe(true)
    expect(retry.ok && retry.note.noteId).toBe(first.noteId)
    expect(retry.ok && retry.note.text).toBe('call back tomorrow')
    expect(await store.listNotes(c.brandId, c.convId)).toHaveLength(1)
  })

  it("lets another agent use the same clientNoteId", async () => {
    const c = await conversation()
    const other = id('a_')
    const a = await store.addNote(note(c, { clientNoteId: 'same' }))
    const b = await store.addNote(note(c, { clientNoteId: 'same', author: { kind: 'agent', id: other }, at: 3001 }))
    expect(a.ok && !a.duplicate && b.ok && !b.duplicate).toBe(true)
    expect((await store.listNotes(c.brandId, c.convId)).map((x) => x.author)).toEqual([{ kind: 'agent', id: c.agentId, name: 'Dana' }, { kind: 'agent', id: other }])
  })

  it('lists notes oldest first, whatever the order they were added in, and keeps the transfer mark', async () => {
    const c = await conversation()
    await store.addNote(note(c, { text: 'third', at: 5000 }))
    await store.addNote(note(c, { text: 'first', at: 3000, transfer: true }))
    await store.addNote(note(c, { text: 'second', at: 4000 }))
    const listed = await store.listNotes(c.brandId, c.convId)
    expect(listed.map((x) => x.text)).toEqual(['first', 'second', 'third'])
    expect(listed.map((x) => x.transfer)).toEqual([true, undefined, undefined])
  })

  it("refuses a note to an unknown conversation or another brand's, and lists nothing across brands", async () => {
    const c = await conversation()
    const d = await conversation()
    expect(await store.addNote(note(c, { convId: id('c_') }))).toEqual({ ok: false, code: 'PARLEY_ERR_CONV_NOT_FOUND' })
    expect(await store.addNote(note(c, { convId: d.convId }))).toEqual({ ok: false, code: 'PARLEY_ERR_CONV_NOT_FOUND' })
    await store.addNote(note(d))
    expect(await store.listNotes(c.brandId, d.convId)).toEqual([])
    expect(await store.listNotes(c.brandId, c.convId)).toEqual([])
    expect(await store.listNotes(d.brandId, d.convId)).toHaveLength(1)
  })
})
