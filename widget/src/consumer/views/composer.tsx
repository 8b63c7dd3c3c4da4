import { useEffect, useRef, useState } from 'preact/hooks'
import type { Strings } from '../../i18n/strings.js'
import type { Controller } from '../controller.js'

/** The message box: Enter sends, Shift+Enter adds a line. */
export function Composer({ controller, strings, autoFocus }: { controller: Controller; strings: Strings; autoFocus: boolean }) {
  const [text, setText] = useState('')
  const box = useRef<HTMLTextAreaElement>(null)
  useEffect(() => { if (autoFocus) box.current?.focus() }, [autoFocus])
  const send = () => {
    if (!text.trim()) return
    void controller.send(text)
    setText('')
  }
  return (
    <form class="c" onSubmit={(e) => { e.preventDefault(); send() }}>
      <textarea ref={box} rows={1} aria-label={strings.message} placeholder={strings.placeholder} value={text} maxLength={4000}
        onInput={(e) => { setText(e.currentTarget.value); controller.typing(e.currentTarget.value.length > 0) }}
        onKeyDown={(e) => { if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); send() } }} />
      <button type="submit">{strings.send}</button>
    </form>
  )
}
