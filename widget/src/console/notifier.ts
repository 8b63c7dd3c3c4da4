import { DEFAULT_AGENT_SETTINGS, type AgentSettings, type RoutingMode } from '@parley/sdk/contract'
import type { ConsoleState } from './state.js'
import { noticesBetween, type Notice } from './notice-rules.js'
import { askDesktopPermission, desktopPermission, showDesktopNotice, type DesktopPermission } from './desktop-notice.js'

// Tells the agent about new chats and messages: watches the console's state, and for each notice
// plays the chime and shows a desktop notification, as the agent's own settings allow.

/** What the notifier needs: the state to watch, the agent's settings over REST, and how to ring. */
export interface NotifierDeps {
  /** The console state now, and a way to hear about every change (the controller). */
  source: { readonly state: ConsoleState; subscribe(fn: () => void): () => void }
  settings?: { read(): Promise<AgentSettings>; save(s: AgentSettings): Promise<AgentSettings> }
  /** The brand's routing mode (GET /v1/routing), read each time the connection opens; manual until read. */
  mode?: () => Promise<RoutingMode>
  chime: () => void
  /** Shows a desktop notification (default: the Notifications API). */
  desktop?: (n: Notice, onOpen: (convId: string) => void) => void
  /** Clicking a notification: show that chat. */
  onOpen: (convId: string) => void
}

/** Watches the console and rings; its settings are the agent's (GET/PUT /v1/agent/settings). */
export class Notifier {
  settings: AgentSettings = DEFAULT_AGENT_SETTINGS
  permission: DesktopPermission = desktopPermission()
  /** Settings could not be saved: the switch goes back, and this says why. */
  error: string | null = null
  readonly #d: NotifierDeps
  readonly #listeners = new Set<() => void>()
  #mode: RoutingMode = 'manual'
  #prev: ConsoleState
  readonly #stop: () => void

  constructor(deps: NotifierDeps) {
    this.#d = deps
    this.#prev = deps.source.state
    this.#stop = deps.source.subscribe(() => this.#changed())
    deps.settings?.read().then((s) => this.#set(s), () => undefined)
    if (deps.source.state.link === 'connected') this.#readMode()
  }

  subscribe(fn: () => void): () => void {
    this.#listeners.add(fn)
    return () => this.#listeners.delete(fn)
  }

  /** Saves a change to the agent's settings (shown at once, put back if the relay refuses). */
  async save(next: AgentSettings): Promise<void> {
    const before = this.settings
    this.error = null
    this.#set(next)
    if (!this.#d.settings) return
    try {
      this.#set(await this.#d.settings.save(next))
    } catch (err) {
      this.error = (err as Error).message
      this.#set(before)
    }
  }

  /** Asks the browser for desktop notifications (call from a click). */
  async enableDesktop(): Promise<void> {
    this.permission = await askDesktopPermission()
    this.#emit()
  }

  stop(): void {
    this.#stop()
  }

  #changed(): void {
    const next = this.#d.source.state
    const prev = this.#prev
    this.#prev = next
    // Each (re)connect reads the mode again: no frame says the brand switched, so a switch is seen
    // at the next reconnect at worst.
    if (next.link === 'connected' && prev.link !== 'connected') this.#readMode()
    const notices = noticesBetween(prev, next, this.#mode === 'manual')
    if (notices.length === 0) return
    if (this.settings.sound) this.#d.chime()
    if (this.settings.desktop) for (const n of notices) (this.#d.desktop ?? showDesktopNotice)(n, this.#d.onOpen)
  }

  #readMode(): void {
    this.#d.mode?.().then((m) => { this.#mode = m }, () => undefined)
  }

  #set(s: AgentSettings): void {
    this.settings = s
    this.#emit()
  }

  #emit(): void {
    for (const fn of this.#listeners) fn()
  }
}
