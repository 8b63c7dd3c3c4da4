import type { RefObject } from 'preact'
import type { Strings } from '../../i18n/strings.js'
import { plural } from '../../i18n/plural.js'

/** Props of the launcher button. */
export interface LauncherProps {
  open: boolean
  unread: number
  strings: Strings
  buttonRef: RefObject<HTMLButtonElement>
  onIntent: () => void
  onClick: () => void
}

/** The round chat button, with the unread count. */
export function Launcher({ open, unread, strings, buttonRef, onIntent, onClick }: LauncherProps) {
  const label = open ? strings.closeChat : unread > 0 ? `${strings.launcher} (${plural(strings.locale, strings.unread, unread)})` : strings.launcher
  return (
    <button ref={buttonRef} type="button" class="l" aria-label={label} aria-expanded={open}
      onPointerEnter={onIntent} onFocus={onIntent} onTouchStart={onIntent} onClick={onClick}>
      <svg viewBox="0 0 24 24" aria-hidden="true">
        {open
          ? <path d="M18.3 5.7a1 1 0 0 0-1.4 0L12 10.6 7.1 5.7a1 1 0 1 0-1.4 1.4l4.9 4.9-4.9 4.9a1 1 0 1 0 1.4 1.4l4.9-4.9 4.9 4.9a1 1 0 0 0 1.4-1.4L13.4 12l4.9-4.9a1 1 0 0 0 0-1.4z" />
          : <path d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H8l-4 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm3 6a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3z" />}
      </svg>
      {unread > 0 && !open ? <span class="b" aria-hidden="true">{unread > 99 ? '99+' : unread}</span> : null}
    </button>
  )
}
