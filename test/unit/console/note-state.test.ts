import { describe, expect, it } from 'vitest'
import type { Note } from '@parley/sdk/contract'
import { INITIAL, reduce, type ConsoleState, type Line } from '../../../widget/src/console/state.js'
import { MAX_NOTE_TEXT } from '@parley/sdk/contract'
import { noteLimit, timeline, type NoteLine } from '../../../widget/src/console/note-state.js'

// The console's notes: kept apart from the chat's lines, stored once by client note id, mine shown
// while on their way and marked when not stored, and placed among the lines by time.

const note = (id: string, at: number, text = `note ${id}`, name = 'Dana'): Note => ({
  noteId: `n_${id}`, convId: 'c', clientNoteId: id, author: { kind: 'agent', id: 'a_1', name }, text, at,
})
const stored = (s: ConsoleState, ...notes: Note[]) => reduce(s, { type: 'notes', convId: 'c', change: { kind: 'stored', notes } })
const chat = reduce(INITIAL, { type: 'chat', convId: 'c', visitorId: 'v', context: null, closed: false })

describe('console note state', () => {
  it("keeps a join's notes and a colleague's note.added oldest first, apart from the chat's lines", () => {
    let s = stored(chat, note('b', 20), note('a', 10))
    s = stored(s, note('c', 15, 'from Sam', 'Sam'))
    expect(s.notes.c!.map((n) => [n.id, n.author, n.status])).toEqual([['a', 'Dana', 'stored'], ['c', 'Sam', 'stored'], ['b', 'Dana', 'stored']])
    expect(s.chats.c!.lines).toEqual([])
  })

  it('keeps the mark of a note left with a transfer', () => {
    const s = stored(chat, { ...note('t', 5), transfer: true }, note('u', 6))
    expect(s.notes.c!.map((n) => n.transfer)).toEqual([true, undefined])
  })

  it('leaves the state the same object when a note it holds arrives again (a rejoin, or my own note.added)', () => {
    const s = stored(chat, note('a', 10))
    expect(stored(s, note('a', 10))).toBe(s)
  })

  it('shows my note as saving, then stored under the same id with the text the relay stored', () => {
    let s = reduce(chat, { type: 'notes', convId: 'c', change: { kind: 'sending', id: 'mine', text: 'card 4111', author: 'Dana', at: 30 } })
    expect(s.notes.c).toEqual([{ id: 'mine', text: 'card 4111', author: 'Dana', at: 30, status: 'sending' }])
    s = stored(s, note('mine', 31, 'card [card]'))
    expect(s.notes.c).toEqual([{ id: 'mine', text: 'card [card]', author: 'Dana', at: 31, status: 'stored' }])
  })

  it('marks a note not stored as failed, and a retry under its id as saving again; a stored note never fails', () => {
    let s = reduce(chat, { type: 'notes', convId: 'c', change: { kind: 'sending', id: 'x', text: 't', author: 'Dana', at: 5 } })
    s = reduce(s, { type: 'notes', convId: 'c', change: { kind: 'failed', id: 'x' } })
    expect(s.notes.c!.map((n) => n.status)).toEqual(['failed'])
    s = reduce(s, { type: 'notes', convId: 'c', change: { kind: 'sending', id: 'x', text: 't', author: 'Dana', at: 6 } })
    expect(s.notes.c!.map((n) => [n.id, n.status])).toEqual([['x', 'sending']])
    s = stored(s, note('x', 7))
    expect(reduce(s, { type: 'notes', convId: 'c', change: { kind: 'failed', id: 'x' } })).toBe(s)
  })

  it('places each note before the first line written after it, and notes after the last line at the end', () => {
    const line = (id: string, at: number): Line => ({ id, seq: at, text: id, fromVisitor: true, author: 'Visitor', at, pending: false })
    const n = (id: string, at: number): NoteLine => ({ id, text: id, author: 'Dana', at, status: 'stored' })
    const items = timeline([line('l1', 10), line('l2', 20), line('l3', 30)], [n('n0', 5), n('n1', 15), n('n2', 20), n('n3', 40)])
    expect(items.map((i) => (i.kind === 'line' ? i.line.id : i.note.id))).toEqual(['n0', 'l1', 'n1', 'l2', 'n2', 'l3', 'n3'])
    expect(timeline([line('l1', 10)], []).map((i) => i.kind)).toEqual(['line'])
  })

  it("holds a note to the note limit, however long the relay lets replies be", () => {
    expect(noteLimit(MAX_NOTE_TEXT * 2)).toBe(MAX_NOTE_TEXT)
    expect(noteLimit(100)).toBe(100)
    expect(noteLimit(null)).toBe(MAX_NOTE_TEXT)
  })
})
