import { MAX_NOTE_TEXT, type Note } from '@parley/sdk/contract'

// The agents' internal notes of each chat, as the console shows them: the relay's (joined.notes,
// note.added) and mine on their way. Pure. A note is never part of the chat's lines (what the
// visitor sees); the timeline interleaves the two by time for the agent only.

/** One note in a chat's timeline. */
export interface NoteLine {
  /** The client note id: mine keeps it from sending to stored, and a retry reuses it. */
  id: string
  text: string
  author: string
  at: number
  /** `sending` until note.added; `failed` when the relay refused it or the link dropped (the agent may retry). */
  status: 'stored' | 'sending' | 'failed'
  /** Left by the agent who handed the chat on (conversation.transfer). */
  transfer?: boolean
}

/** Every chat's notes, by conversation id, oldest first. */
export type NotesByChat = Record<string, NoteLine[]>

/** How a chat's notes change. */
export type NoteChange =
  /** Stored notes: joined.notes, or one note.added (mine or a colleague's). */
  | { kind: 'stored'; notes: readonly Note[] }
  /** I wrote a note; it is on its way. */
  | { kind: 'sending'; id: string; text: string; author: string; at: number }
  /** My note was not stored. */
  | { kind: 'failed'; id: string }

function sorted(notes: NoteLine[]): NoteLine[] {
  return notes.sort((a, b) => a.at - b.at)
}

/** A chat's notes after `change`; the same array when nothing changed. */
export function changeNotes(list: readonly NoteLine[], change: NoteChange): readonly NoteLine[] {
  switch (change.kind) {
    case 'stored': {
      const byId = new Map(list.map((n) => [n.id, n]))
      let changed = false
      for (const n of change.notes) {
        const known = byId.get(n.clientNoteId)
        if (known?.status === 'stored' && known.text === n.text) continue
        byId.set(n.clientNoteId, { id: n.clientNoteId, text: n.text, author: n.author.name ?? 'Agent', at: n.at, status: 'stored', ...(n.transfer ? { transfer: true } : {}) })
        changed = true
      }
      return changed ? sorted([...byId.values()]) : list
    }
    case 'sending': {
      const rest = list.filter((n) => n.id !== change.id)
      return sorted([...rest, { id: change.id, text: change.text, author: change.author, at: change.at, status: 'sending' }])
    }
    case 'failed':
      return list.some((n) => n.id === change.id && n.status === 'sending')
        ? list.map((n) => (n.id === change.id ? { ...n, status: 'failed' as const } : n)) : list
  }
}

/** The state's notes after `change` to the chat `convId`. */
export function reduceNotes(all: NotesByChat, convId: string, change: NoteChange): NotesByChat {
  const list = all[convId] ?? []
  const next = changeNotes(list, change)
  return next === list ? all : { ...all, [convId]: next as NoteLine[] }
}

/** One entry of the agent's timeline: a line of the conversation, or an internal note. */
export type TimelineItem<L> = { kind: 'line'; line: L } | { kind: 'note'; note: NoteLine }

/** The chat's lines (in their order) with its notes placed by time: a note goes before the first line written after it. */
export function timeline<L extends { at: number }>(lines: readonly L[], notes: readonly NoteLine[]): TimelineItem<L>[] {
  const out: TimelineItem<L>[] = []
  let i = 0
  for (const line of lines) {
    while (i < notes.length && notes[i]!.at < line.at) out.push({ kind: 'note', note: notes[i++]! })
    out.push({ kind: 'line', line })
  }
  while (i < notes.length) out.push({ kind: 'note', note: notes[i++]! })
  return out
}

/** The longest note the composer takes: the note limit, or the relay's reply limit when that is lower. */
export function noteLimit(maxText: number | null): number {
  return maxText === null ? MAX_NOTE_TEXT : Math.min(MAX_NOTE_TEXT, maxText)
}
