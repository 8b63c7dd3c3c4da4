import type { ComponentChildren } from 'preact'
import { useEffect, useRef } from 'preact/hooks'

// Preact does not run `autoFocus`, and Chromium honours the `autofocus` attribute once per
// document, so a dialog opened twice got no focus; closing one dropped focus to <body>. A native
// <dialog> opened with showModal() makes the page behind it inert and turns Escape into `cancel`;
// on top of it focus goes to the first control, Tab wraps inside (not out to the browser's own UI),
// and closing puts focus back on what opened it.

const FOCUSABLE = 'button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), a[href], [tabindex]:not([tabindex="-1"])'

/** Props of a modal dialog: a name (a heading's id, or a label) and what Escape does. */
export interface ModalDialogProps {
  class?: string
  labelledBy?: string
  label?: string
  /** Escape (or the dialog otherwise asking to close): the owner unmounts it. */
  onClose: () => void
  children: ComponentChildren
}

/** A modal dialog, open while mounted: focus on its first control, kept inside, and back to the opener when it goes. */
export function ModalDialog({ class: className, labelledBy, label, onClose, children }: ModalDialogProps) {
  const ref = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const dialog = ref.current!
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null
    if (!dialog.open) dialog.showModal()
    dialog.querySelector<HTMLElement>(FOCUSABLE)?.focus()
    return () => {
      if (dialog.open) dialog.close()
      if (opener?.isConnected) opener.focus()
    }
  }, [])
  const keepInside = (e: KeyboardEvent) => {
    if (e.key !== 'Tab') return
    const all = [...ref.current!.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.offsetParent !== null || el === document.activeElement)
    const first = all[0]
    const last = all.at(-1)
    if (!first || !last) return
    if (e.shiftKey && document.activeElement === first) { e.preventDefault(); last.focus() }
    else if (!e.shiftKey && document.activeElement === last) { e.preventDefault(); first.focus() }
  }
  return (
    <dialog ref={ref} class={`modal${className ? ` ${className}` : ''}`} aria-modal="true" aria-labelledby={labelledBy} aria-label={label}
      onCancel={(e) => { e.preventDefault(); onClose() }} onKeyDown={keepInside}>
      {children}
    </dialog>
  )
}
