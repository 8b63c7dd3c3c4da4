import { Component, createRef } from 'preact'
import type { PublicSiteConfig, TrackingSetting } from '@parley/sdk/contract'
import type { Strings } from '../i18n/strings.js'
import type { Controller } from './controller.js'
import type { Deployment } from './deployment.js'
import type { OfflineSender } from './offline-message.js'
import { display, type Display } from './rule-display.js'
import { offlineSurveyOf } from './survey-choice.js'
import { Launcher } from './views/launcher.js'

// The widget's root: the launcher (unless a deployment rule hides it), and the views of the
// on-demand chunk: the chat panel, fetched when the visitor shows intent (hover, focus, click) or the
// page opens the chat, and a rule's invitation, offer or offline form when one shows.
// The widget's components are classes, not hooks: that leaves preact/hooks (~1 KB gzip) out of
// the bundle, room the masking engine needs.

type Views = typeof import('./views/on-demand.js')
let viewsChunk: Promise<Views> | null = null
const loadViews = () => (viewsChunk ??= import('./views/on-demand.js'))

/** Before rules, or without any: the chat button. */
const BUTTON: Display = { launcher: true, offline: false, invite: null, offer: null }

/** Props of the root component. */
export interface AppProps {
  controller: Controller
  /** The brand's deployment rules on this page; null when it has none. */
  deployment: Deployment | null
  /** Opens the chat, or the offline form when a rule says so (the launcher, and Parley('open') without `byLauncher`). */
  openChat: (byLauncher: boolean) => void
  sendOffline: OfflineSender
  strings: Strings
  config: PublicSiteConfig
  tracking: TrackingSetting
  sharing: boolean
  setConsent: (yes: boolean) => void
  /** Whether the brand is outside its business hours now (its away message shows). */
  away?: () => boolean
}

/** The whole consumer widget. */
export class App extends Component<AppProps, { Views: Views | null }> {
  override state = { Views: null as Views | null }
  readonly #launcher = createRef<HTMLButtonElement>()
  #wasOpen = false
  #shown: Display = BUTTON
  #unsubscribe: (() => void) | null = null

  // Subscribed in the first render's own commit, not after paint: boot runs the page's queued
  // commands (a queued 'hide') right after the first render, and a change before subscribing would be missed.
  override componentDidMount(): void {
    this.#unsubscribe = this.props.controller.subscribe(() => this.forceUpdate())
    this.props.deployment?.subscribe(() => this.forceUpdate())
    this.componentDidUpdate()
  }

  override componentWillUnmount(): void {
    this.#unsubscribe?.()
  }

  override componentDidUpdate(): void {
    const { controller, deployment } = this.props
    const open = controller.state.open || !!deployment?.formOpen
    const d = this.#shown
    if ((open || d.invite || d.offer) && !this.state.Views) this.#intent()
    // What the visitor sees counts as an impression of its rule; a bubble waiting for its chunk is not seen yet.
    const Views = this.state.Views
    if (!controller.state.hidden) deployment?.shown(Views ? d : { ...d, invite: null, offer: null })
    // Closing returns focus to the launcher, so keyboard users keep their place. This runs in the
    // same task as the render that removed the panel, so focus never falls to the page body.
    if (this.#wasOpen && !open) this.#launcher.current?.focus()
    this.#wasOpen = open
  }

  readonly #intent = () => { void loadViews().then((Views) => { if (this.state.Views !== Views) this.setState({ Views }) }) }

  readonly #toggle = () => {
    const { controller, deployment, openChat } = this.props
    if (deployment?.formOpen) deployment.setForm(false)
    else if (controller.state.open) controller.close()
    else openChat(true)
  }

  /** Dismissing an invitation or offer: it goes, and focus returns to the launcher. */
  readonly #dismiss = (ruleId: string) => {
    this.props.deployment?.dismiss(ruleId)
    this.#launcher.current?.focus()
  }

  override render(p: AppProps, { Views }: { Views: Views | null }) {
    const { controller, deployment: dep, strings } = p
    const s = controller.state
    const d = (this.#shown = dep ? display(dep.decision, s, dep, Date.now()) : BUTTON)
    const formOpen = !!dep?.formOpen
    const offline = dep && formOpen ? offlineSurveyOf(p.config, dep.decision.action) : null
    return (
      // Parley('hide'): nothing of the widget shows or takes focus; the chat, and a half-written message, stay for 'show'.
      <div class={s.open || formOpen ? 'p o' : 'p'} hidden={s.hidden}>
        {Views && s.open ? <Views.Panel controller={controller} strings={strings} config={p.config} tracking={p.tracking} sharing={p.sharing} setConsent={p.setConsent} away={p.away?.()} /> : null}
        {Views && dep && formOpen
          ? <Views.OfflineForm strings={strings} sent={dep.formSent} send={p.sendOffline} onSent={() => dep.formDone()} onClose={() => dep.setForm(false)}
            away={p.away?.()} survey={offline} language={offline ? controller.surveyFlow.language(offline) : undefined} mask={(t) => controller.mask(t).text} />
          : null}
        {Views && dep && d.invite ? (
          <Views.Invitation invite={d.invite} strings={strings} onDismiss={() => this.#dismiss(d.invite!.ruleId)} onAccept={() => {
            dep.clicked(d.invite!.ruleId, true)
            controller.invited(d.invite!.message, d.invite!.agentName ?? null)
            controller.open()
          }} />
        ) : null}
        {Views && dep && d.offer
          ? <Views.OfferBanner offer={d.offer} strings={strings} onUse={() => dep.clicked(d.offer!.ruleId, false)} onDismiss={() => this.#dismiss(d.offer!.ruleId)} />
          : null}
        {/* Always there while rules run, so a screen reader hears an invitation or offer as it appears. */}
        {dep ? <p class="v" aria-live="polite">{Views ? d.invite?.message ?? d.offer?.text ?? '' : ''}</p> : null}
        {d.launcher ? (
          <Launcher buttonRef={this.#launcher} open={s.open || formOpen} unread={s.unread} strings={strings}
            onIntent={this.#intent} onClick={this.#toggle} />
        ) : null}
      </div>
    )
  }
}
