import { h, render } from 'preact'
import { randomId } from '@parley/sdk/connection'
import { WIDGET_DEFAULTS, type PublicSiteConfig, type TrackingSetting } from '@parley/sdk/contract'
import { formatDecision, hoursState } from '@parley/sdk/rules'
import { resolveStrings } from '../i18n/brand-texts.js'
import { mountShadow } from '../shadow/mount.js'
import { widgetCss } from '../shadow/styles.js'
import { textColorOn } from '../ui/contrast.js'
import { buildContext, countPageView, isTrackingAllowed, mergePageValues, type BrowserFacts, type PageValues, type Tally } from './context.js'
import { Controller } from './controller.js'
import { createIdbStorage } from '../browser/idb-storage.js'
import { createBrowserNetwork } from '../browser/network-signal.js'
import { pollAvailability } from '../browser/availability-poll.js'
import { watchNavigation } from '../browser/page-navigation.js'
import { App } from './app.js'
import { Deployment } from './deployment.js'
import { createOfflineSender } from './offline-message.js'
import { isChatting } from './rule-display.js'
import { needsAvailability } from './rule-facts.js'
import { RuleEventQueue } from './rule-events.js'

// The consumer widget's composition root: the only place that touches the real browser (fetch,
// WebSocket, IndexedDB, Web Locks, localStorage, the page title) and hands it to the controller.

interface LoaderStub {
  (...args: unknown[]): void
  q?: unknown[][]
  site?: string | null
  base?: string
  loaded?: boolean
}

const w = window as unknown as Window & { Parley?: LoaderStub }
const COMMANDS = 'open, close, hide, show, set, on, off, consent, why, identify, forget'

async function boot(): Promise<void> {
  const stub = w.Parley
  if (!stub?.site || !stub.base) return
  const site = stub.site
  const base = stub.base
  const res = await fetch(`${base}/v1/sites/${encodeURIComponent(site)}/config`, { credentials: 'omit' })
  if (!res.ok) {
    // Tell the site's developer why there is no chat (unknown site key, origin not allowed).
    const err = (await res.json().catch(() => ({}))) as { code?: string; message?: string }
    console.warn(`Parley: the chat is off on this page: ${err.code ?? res.status} ${err.message ?? ''}`.trim())
    return
  }
  const config = (await res.json()) as PublicSiteConfig
  const widget = config.widget
  const { lang, rtl, strings, brandTitle } = await resolveStrings(navigator.languages ?? [navigator.language], widget)
  if (!brandTitle) strings.title = config.brandName || strings.title

  const tracking: TrackingSetting = widget.tracking ?? WIDGET_DEFAULTS.tracking
  const consentKey = `parley:${site}:consent`
  const tallyKey = `parley:${site}:tally`
  const dismissedKey = `parley:${site}:dismissed`
  const facts = (): BrowserFacts => ({
    url: location.href, title: document.title, referrer: document.referrer,
    languages: navigator.languages ?? [navigator.language], userAgent: navigator.userAgent,
    timezone: Intl.DateTimeFormat().resolvedOptions().timeZone ?? '', utcOffsetMin: -new Date().getTimezoneOffset(),
    screen: `${screen.width}x${screen.height}`,
    doNotTrack: navigator.doNotTrack === '1',
    globalPrivacyControl: (navigator as Navigator & { globalPrivacyControl?: boolean }).globalPrivacyControl === true,
  })
  const consent = (): boolean | null => {
    const v = safeLocal(() => localStorage.getItem(consentKey))
    return v === '1' ? true : v === '0' ? false : null
  }
  // The choice made on this page: the only one the relay is told (hello, update, offline form).
  // Repeating the stored one on every page would undo a withdrawal the brand recorded since.
  let said: boolean | null = null
  const allowed = () => isTrackingAllowed(tracking, facts(), consent())
  // The tally exists only while tracking is allowed; withdrawing consent deletes it.
  const tally = (): Tally | null => {
    if (!allowed()) {
      safeLocal(() => localStorage.removeItem(tallyKey))
      return null
    }
    return safeLocal(() => JSON.parse(localStorage.getItem(tallyKey) ?? 'null') as Tally | null)
  }
  const countView = () => { if (allowed()) safeLocal(() => localStorage.setItem(tallyKey, JSON.stringify(countPageView(tally(), Date.now())))) }
  countView()

  const owner = Math.random().toString(36).slice(2) + Date.now().toString(36)
  const locks = navigator.locks
  if (locks) void locks.request(`parley-tab-${owner}`, () => new Promise<void>(() => {}))
  const color = widget.color ?? WIDGET_DEFAULTS.color
  const { root } = mountShadow(widgetCss(widget.position ?? WIDGET_DEFAULTS.position), { '--pa': color, '--pt': textColorOn(color) })
  if (rtl) root.dir = 'rtl'
  root.lang = lang

  // Parley('set', values): sent in the visitor context, on every hello and as soon as they change.
  let values: PageValues = {}
  const setValues = (input: unknown): boolean => {
    const next = mergePageValues(values, input)
    if (next.dropped.length) console.warn(`Parley: set dropped ${next.dropped.join(', ')} (names: letters, digits, _; values: text up to 256, number or boolean; 20 at most)`)
    const changed = JSON.stringify(next.values) !== JSON.stringify(values)
    values = next.values
    return changed
  }
  // Values the page set before the widget arrived go in the first hello.
  const queue = stub.q ?? []
  const queued = queue.filter((args) => args[0] !== 'set' || (setValues(args[1]), false))
  const seen = queue.length

  const siteUrl = `${base}/v1/sites/${encodeURIComponent(site)}`
  const rules = config.rules ?? []
  // A brand without rules gets none of this: no evaluation, no history patching, no poll, no counts.
  const events = new RuleEventQueue({
    send: (batch) => void fetch(`${siteUrl}/rule-events`, {
      method: 'POST', keepalive: true, credentials: 'omit', headers: { 'content-type': 'application/json' }, body: JSON.stringify(batch),
    }).catch(() => {}),
    schedule: (fn, ms) => void setTimeout(fn, ms),
  })
  const visitorId = rolloutId(site, rules.some((r) => r.rollout))
  const deployment = rules.length === 0 ? null : new Deployment({
    rules, hours: config.businessHours ?? null, events,
    page: () => ({ browser: facts(), tally: tally(), values, consent: consent(), visitorId }),
    dismissals: {
      load: () => safeLocal(() => JSON.parse(localStorage.getItem(dismissedKey) ?? '{}') as Record<string, number>) ?? {},
      save: (d) => safeLocal(() => localStorage.setItem(dismissedKey, JSON.stringify(d))),
    },
    countPageView: countView,
    now: () => Date.now(),
    setTimer: (fn, ms) => setTimeout(fn, ms),
    clearTimer: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
  })

  const wsBase = base.replace(/^http/, 'ws')
  const controller = new Controller({
    config, strings, storage: createIdbStorage(`parley-${site}`), network: createBrowserNetwork(), url: `${wsBase}/v1/live?site=${encodeURIComponent(site)}`,
    WebSocket, context: () => buildContext(facts(), tally(), Date.now(), values, deployment?.origin, said), owner,
    ...(locks ? {
      isOwnerAlive: async (o: string) => ((await locks.query()).held ?? []).some((l) => l.name === `parley-tab-${o}`),
      withLock: <T>(name: string, fn: () => Promise<T>) => locks.request(`parley-${site}-${name}`, fn) as Promise<T>,
    } : {}),
    title: { get: () => document.title, set: (t) => { document.title = t } },
    ...(typeof BroadcastChannel === 'function' ? { tabs: new BroadcastChannel(`parley-${site}`) } : {}),
    onChatStarted: () => deployment?.chatStarted(),
    otherTabForgot: () => forget(false),
    ruleAction: () => deployment?.decision.action,
    visitorLanguages: navigator.languages ?? [navigator.language],
  })
  const sendOffline = createOfflineSender({
    url: `${siteUrl}/offline-messages`, fetch: (input, init) => fetch(input, init), mask: (t) => controller.mask(t), newId: () => randomId(),
    extras: () => ({ context: buildContext(facts(), tally(), Date.now(), values, deployment?.decision.ruleId, said), ...(deployment?.decision.ruleId ? { ruleId: deployment.decision.ruleId } : {}) }),
  })
  // The launcher and Parley('open'): the offline form when a rule says so and no chat is under way.
  const openChat = (byLauncher = false) => {
    if (deployment?.decision.action.type === 'offline-form' && !isChatting(controller.state)) return deployment.setForm(true)
    deployment?.opening(byLauncher)
    controller.open()
  }
  // Logging out: besides what the controller clears (IndexedDB), this page's own keys, the rollout id
  // too: forget promises that nothing of the widget stays in the browser, and that outweighs keeping
  // the next visitor of this browser in the same arm of an experiment (this page keeps its draw).
  // Also when another tab logged out (`tell` false: that tab told the others): dismissals held in
  // memory would be written back, and the page's values would go in the next visitor's context.
  const forget = (tell = true) => {
    for (const key of [consentKey, tallyKey, dismissedKey, `parley:${site}:rollout`]) safeLocal(() => localStorage.removeItem(key))
    deployment?.forgetDismissals()
    values = {}
    said = null
    void controller.forget(tell).then(() => { deployment?.update(); draw() }, () => {})
  }
  const setConsent = (yes: boolean) => {
    safeLocal(() => localStorage.setItem(consentKey, yes ? '1' : '0'))
    said = yes
    if (yes && !safeLocal(() => localStorage.getItem(tallyKey))) safeLocal(() => localStorage.setItem(tallyKey, JSON.stringify(countPageView(null, Date.now()))))
    controller.contextChanged()
    deployment?.update()
    draw()
  }
  // What is counted leaves when the page is hidden or goes (keepalive lets the request outlive it).
  if (deployment) addEventListener('pagehide', () => events.flush())
  // Without rules nothing polls availability: the brand's hours alone say whether it is away.
  const away = () => (deployment ? deployment.isAway() : !hoursState(config.businessHours ?? null, Date.now()).open)
  // Business hours end (or begin) with the page open, and the availability poll tells only the
  // deployment: a minute's check redraws when away changed, not only when something else redraws.
  let shownAway = away()
  setInterval(() => { if (away() !== shownAway) draw() }, 60_000)
  const draw = () => (shownAway = away(), render(h(App, { controller, deployment, openChat, sendOffline, strings, config, tracking, sharing: allowed(), setConsent, away }), root))
  document.addEventListener('visibilitychange', () => {
    controller.setVisible(document.visibilityState === 'visible')
    if (document.visibilityState === 'hidden') events.flush()
  })
  controller.setVisible(document.visibilityState === 'visible')
  await controller.start()
  if (deployment) {
    deployment.update()
    watchNavigation(window, () => {
      deployment.navigated()
      controller.contextChanged()
    })
    // Rules on availability wait for its first answer (3 s at most) before anything shows: without
    // it a visitor would see, and could open, the chat button for a moment where nobody can answer.
    if (needsAvailability(rules)) {
      await new Promise<void>((ready) => {
        setTimeout(ready, 3000)
        pollAvailability({ url: `${siteUrl}/availability`, fetch: (input, init) => fetch(input, init), doc: document }, (a) => { deployment.setAvailability(a); ready() })
      })
    }
  }
  draw()

  // From now on `Parley(...)` runs commands directly; first the ones queued before we arrived.
  const warned = new Set<string>()
  const run = (cmd?: unknown, ...args: unknown[]) => {
    switch (cmd) {
      case 'open': openChat(); break
      case 'close': controller.close(); deployment?.setForm(false); break
      case 'set': if (setValues(args[0])) { controller.contextChanged(); deployment?.update() } break
      case 'why': console.info(deployment ? formatDecision(deployment.decision) : 'Parley: this brand has no deployment rules: the chat button shows.'); break
      case 'on': if (typeof args[1] === 'function') controller.on(String(args[0]), args[1] as (d: unknown) => void); break
      case 'off': if (typeof args[1] === 'function') controller.off(String(args[0]), args[1] as (d: unknown) => void); break
      case 'consent': setConsent(args[0] === true); break
      case 'hide': controller.setHidden(true); break
      case 'show': controller.setHidden(false); break
      case 'identify':
        if (args[0] === null) forget()
        else if (typeof args[0] === 'string' && args[0]) {
          // The code only, for the site's developer: never the token.
          controller.identify(args[0]).catch((e: { code?: string }) => console.warn(`Parley: identify refused: ${e.code ?? 'PARLEY_ERR_SERVER_INTERNAL'}`))
        } else console.warn('Parley: identify takes the token your server signed, or null to log out')
        break
      case 'forget': forget(); break
      default:
        // Tell the site's developer once per name, rather than ignoring a typo in silence.
        if (!warned.has(String(cmd))) {
          warned.add(String(cmd))
          console.warn(`Parley: unknown command "${String(cmd)}"; known: ${COMMANDS}`)
        }
    }
  }
  const api = Object.assign((...args: unknown[]) => { try { run(args[0], ...args.slice(1)) } catch { /* never throw into the page */ } }, { loaded: true, site, base })
  w.Parley = api as LoaderStub
  // The page kept calling the loader's stub while the widget booted (a listener, identify): those
  // wait in the same queue behind the ones read above, and run after them, in order.
  for (const args of [...queued, ...queue.slice(seen)]) api(...args)
  controller.emit('ready')
}

/**
 * The id rollouts hash with (a rule's percentage split), made only when a rule has a rollout. The
 * connection client's visitor id comes with the relay's welcome, and a visitor who never chats never
 * connects, so this is a random id of its own in the brand's first-party storage. It never leaves
 * the browser: counts carry no visitor id. Null when storage is blocked (then no treatment arm).
 */
function rolloutId(site: string, needed: boolean): string | null {
  if (!needed) return null
  const key = `parley:${site}:rollout`
  return safeLocal(() => {
    const id = localStorage.getItem(key) ?? randomId()
    localStorage.setItem(key, id)
    return id
  })
}

function safeLocal<T>(fn: () => T): T | null {
  try {
    return fn()
  } catch {
    return null // storage blocked (private mode, sandboxed frame): the widget works without it
  }
}

void boot().catch(() => { /* a widget failure must never break the brand's page */ })
