import { Component, createRef } from 'preact'
import type { PublicSiteConfig, TrackingSetting } from '@parley/sdk/contract'
import type { Strings } from '../i18n/strings.js'
import type { Controller } from './controller.js'
import { Launcher } from './views/launcher.js'
import type { PanelProps } from './views/panel.js'

// The widget's root: the launcher is always here; the chat panel is a separate chunk, fetched when
// the visitor shows intent (hover, focus, click) or the page opens the chat.
// The widget's components are classes, not hooks: that leaves preact/hooks (~1 KB gzip) out of
// the bundle, room the masking engine needs.

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
export class App extends Component<AppProps, { Panel: PanelComponent | null }> {
  override state = { Panel: null as PanelComponent | null }
  readonly #launcher = createRef<HTMLButtonElement>()
  #wasOpen = false
  #unsubscribe: (() => void) | null = null

  // Subscribed in the first render's own commit, not after paint: boot runs the page's queued
  // commands (a queued 'hide') right after the first render, and a change before subscribing would be missed.
  override componentDidMount(): void {
    this.#unsubscribe = this.props.controller.subscribe(() => this.forceUpdate())
    this.componentDidUpdate()
  }

  override componentWillUnmount(): void {
    this.#unsubscribe?.()
  }

  override componentDidUpdate(): void {
    const open = this.props.controller.state.open
    if (open && !this.state.Panel) this.#intent()
    // Closing returns focus to the launcher, so keyboard users keep their place. This runs in the
    // same task as the render that removed the panel, so focus never falls to the page body.
    if (this.#wasOpen && !open) this.#launcher.current?.focus()
    this.#wasOpen = open
  }

  readonly #intent = () => { void loadPanel().then((Panel) => { if (this.state.Panel !== Panel) this.setState({ Panel }) }) }

  override render({ controller, strings, config, tracking, sharing, setConsent }: AppProps, { Panel }: { Panel: PanelComponent | null }) {
    const s = controller.state
    return (
      // Parley('hide'): nothing of the widget shows or takes focus; the chat, and a half-written message, stay for 'show'.
      <div class={s.open ? 'p o' : 'p'} hidden={s.hidden}>
        {s.open && Panel ? <Panel controller={controller} strings={strings} config={config} tracking={tracking} sharing={sharing} setConsent={setConsent} /> : null}
        <Launcher buttonRef={this.#launcher} open={s.open} unread={s.unread} strings={strings}
          onIntent={this.#intent} onClick={() => (s.open ? controller.close() : controller.open())} />
      </div>
    )
  }
}
