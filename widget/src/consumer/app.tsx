import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks'
import type { PublicSiteConfig, TrackingSetting } from '@parley/sdk/contract'
import type { Strings } from '../i18n/strings.js'
import type { Controller } from './controller.js'
import { Launcher } from './views/launcher.js'
import type { PanelProps } from './views/panel.js'

// The widget's root: the launcher is always here; the chat panel is a separate chunk, fetched when
// the visitor shows intent (hover, focus, click) or the page opens the chat.

type PanelComponent = (p: PanelProps) => preact.JSX.Element
let panelChunk: Promise<PanelComponent> | null = null
const loadPanel = () => (panelChunk ??= import('./views/panel.js').then((m) => m.Panel))

/** Props of the root component. */
export interface AppProps {
  controller: Controller
  strings: Strings
  config: PublicSiteConfig
  tracking: TrackingSetting
  sharing: boolean
  setConsent: (yes: boolean) => void
}

/** The whole consumer widget. */
export function App({ controller, strings, config, tracking, sharing, setConsent }: AppProps) {
  const [, tick] = useState(0)
  const [Panel, setPanel] = useState<PanelComponent | null>(null)
  const launcher = useRef<HTMLButtonElement>(null)
  const wasOpen = useRef(false)
  // Subscribed in the render's own commit, not after paint: boot runs the page's queued commands
  // (a queued 'hide') right after the first render, and a change before subscribing would be missed.
  useLayoutEffect(() => controller.subscribe(() => tick((n) => n + 1)), [controller])
  const s = controller.state
  const intent = () => { void loadPanel().then((P) => setPanel(() => P)) }
  useEffect(() => { if (s.open) intent() }, [s.open])
  useLayoutEffect(() => {
    // Closing returns focus to the launcher, so keyboard users keep their place. A layout effect runs
    // in the same task as the render that removed the panel, so focus never falls to the page body.
    if (wasOpen.current && !s.open) launcher.current?.focus()
    wasOpen.current = s.open
  }, [s.open])
  return (
    // Parley('hide'): nothing of the widget shows or takes focus; the chat, and a half-written message, stay for 'show'.
    <div class={s.open ? 'p o' : 'p'} hidden={s.hidden}>
      {s.open && Panel ? <Panel controller={controller} strings={strings} config={config} tracking={tracking} sharing={sharing} setConsent={setConsent} /> : null}
      <Launcher buttonRef={launcher} open={s.open} unread={s.unread} strings={strings}
        onIntent={intent} onClick={() => (s.open ? controller.close() : controller.open())} />
    </div>
  )
}
