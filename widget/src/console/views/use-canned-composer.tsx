import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks'
import type { JSX } from 'preact'
import type { CannedReply } from '@parley/sdk/contract'
import { fillPlaceholders, findByShortcut, rankCannedReplies, typedShortcut, type PlaceholderValues, type TypedShortcut } from '@parley/sdk/canned'
import type { CannedLibrary } from '../canned-library.js'
import { CannedPicker } from './canned-picker.js'

// Canned replies in the composer: `/ref` opens a list of matches (↑/↓, Enter or Tab inserts, Esc
// closes, a click inserts); a complete `/refund` followed by space or Enter becomes that reply.
// Either way the placeholders are filled from the chat, and the agent still reads it before sending.

/** What the composer needs to offer canned replies. */
export interface CannedComposerOptions {
  library: CannedLibrary | undefined
  /** The signed-in agent (their personal replies win over the brand's). */
  agentId: string | null
  values: PlaceholderValues
  text: string
  setText: (text: string) => void
  area: { current: HTMLTextAreaElement | null }
}

/** What the composer wires in: handlers for the textarea, the picker and its status line. */
export interface CannedComposer {
  /** Call first from the textarea's keydown; true when the key was used (and its default prevented). */
  onKeyDown: (e: KeyboardEvent) => boolean
  /** Call from the textarea's input (and on caret moves) with the textarea. */
  onInput: (el: HTMLTextAreaElement) => void
  picker: JSX.Element | null
  status: string
}

const MAX_SHOWN = 8
/** How old the list may be when the picker opens before it is read again (colleagues' new replies). */
const FRESH_MS = 60_000
const PICKER_ID = 'canned-picker'

/** Canned replies for one composer (see CannedComposer). */
export function useCannedComposer({ library, agentId, values, text, setText, area }: CannedComposerOptions): CannedComposer {
  const [, tick] = useState(0)
  const [typed, setTyped] = useState<TypedShortcut | null>(null)
  const [active, setActive] = useState(0)
  const caret = useRef<number | null>(null)
  useEffect(() => {
    if (!library) return undefined
    void library.load()
    return library.subscribe(() => tick((n) => n + 1))
  }, [library])
  // After an insertion the caret goes to the end of the inserted text, once the new value is rendered.
  useLayoutEffect(() => {
    if (caret.current === null || !area.current) return
    area.current.setSelectionRange(caret.current, caret.current)
    caret.current = null
  }, [text])

  const replies = library?.replies ?? []
  const matches = typed ? rankCannedReplies(replies, typed.query).slice(0, MAX_SHOWN) : []
  const open = matches.length > 0
  const current = open ? matches[Math.min(active, matches.length - 1)]! : null

  const insert = (reply: CannedReply, at: TypedShortcut) => {
    const filled = fillPlaceholders(reply.text, values)
    setText(text.slice(0, at.start) + filled + text.slice(at.end))
    caret.current = at.start + filled.length
    setTyped(null)
  }

  const onKeyDown = (e: KeyboardEvent): boolean => {
    // The span comes from the box as it is now, not as it was at the last input: a caret moved by a
    // key this hook does not watch must not make a reply replace the wrong text.
    const el = area.current
    const at = el && el.selectionStart === el.selectionEnd ? typedShortcut(el.value, el.selectionStart) : null
    if (e.isComposing || !at || !typed || at.start !== typed.start || at.query !== typed.query) {
      // A stale list closes (or follows the caret); one closed with Esc stays closed until the next input.
      if (typed && (at?.start !== typed.start || at?.query !== typed.query)) setTyped(at)
      return false
    }
    const use = () => { e.preventDefault(); return true }
    if (open && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
      const n = matches.length
      setActive((Math.min(active, n - 1) + (e.key === 'ArrowDown' ? 1 : n - 1)) % n)
      return use()
    }
    if (open && e.key === 'Escape') { setTyped(null); return use() }
    if (open && (e.key === 'Tab' || (e.key === 'Enter' && !e.shiftKey))) { insert(current!, typed); return use() }
    if (e.key === ' ') {
      const exact = findByShortcut(replies, typed.query, agentId)
      if (exact) { insert(exact, typed); return use() }
    }
    return false
  }

  const onInput = (el: HTMLTextAreaElement) => {
    const next = el.selectionStart === el.selectionEnd ? typedShortcut(el.value, el.selectionStart) : null
    if (next?.start !== typed?.start || next?.query !== typed?.query) setActive(0)
    if (next && !typed) void library?.load(FRESH_MS)
    setTyped(next)
  }

  return {
    onKeyDown,
    onInput,
    picker: open ? <CannedPicker id={PICKER_ID} matches={matches} active={Math.min(active, matches.length - 1)} onPick={(r) => { insert(r, typed!); area.current?.focus() }} onHover={setActive} /> : null,
    status: current ? `Canned reply ${matches.indexOf(current) + 1} of ${matches.length}: /${current.shortcut}, ${current.title}. Enter inserts it.` : '',
  }
}
