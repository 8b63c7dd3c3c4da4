import type { OfflineContact, Routing, Survey, SurveyResponse, VerifiedCustomer, VisitorContext } from '@parley/sdk/contract'
import { safeHref } from '../../ui/linkify.js'
import { duration, localTime, parseUserAgent } from '../user-agent.js'
import { RoutingBadges } from './routing-badges.js'
import { SurveyAnswers } from './survey-answers.js'

const NOT_SHARED = 'not shared'

function Link({ url }: { url: string | undefined }) {
  if (!url) return <>—</>
  const href = safeHref(url)
  return href && /^https?:/.test(href) ? <a href={href} target="_blank" rel="noopener noreferrer">{url}</a> : <>{url}</>
}

/** The identity the brand signed for this customer: id, name and e-mail as its token said. */
function VerifiedIdentity({ customer }: { customer: VerifiedCustomer }) {
  return (
    <section class="verified" aria-labelledby="verified-h">
      <h2 id="verified-h">Customer <span class="tag-verified">Verified</span></h2>
      <dl>
        <div><dt>Customer id</dt><dd><bdi>{customer.customerId}</bdi></dd></div>
        {customer.name ? <div><dt>Name</dt><dd><bdi>{customer.name}</bdi></dd></div> : null}
        {customer.email ? <div><dt>E-mail</dt><dd><bdi>{customer.email}</bdi></dd></div> : null}
      </dl>
    </section>
  )
}

/** Props of the panel beside the chat. */
export interface ContextPanelProps {
  context: VisitorContext | null
  visitorId: string
  /** Topic, skill and priority the pre-chat answers set. */
  routing?: Routing | null
  /** The survey answers given in the conversation, oldest first (absent: the section is left out). */
  responses?: readonly SurveyResponse[]
  /** Survey versions known, by `surveyId@version`. */
  surveys?: Readonly<Record<string, Survey>>
  /** The customer the brand verified with a signed token: the only identity shown as verified. */
  customer?: VerifiedCustomer | null
  /** The offline form's contact, when the chat came that way: what the visitor typed, unverified. */
  contact?: OfflineContact | null
  /** The name the pre-chat answers or offline form gave: what the visitor typed, unverified. */
  name?: string | null
  /** Shown after the visitor's details (their earlier conversations). */
  children?: preact.ComponentChildren
}

/** Who the visitor is and where they are, beside the chat; first how the chat was routed and what the visitor answered. */
export function ContextPanel({ context, visitorId, routing, responses, surveys, customer, contact, name, children }: ContextPanelProps) {
  const c = context ?? {}
  const device = c.userAgent ? parseUserAgent(c.userAgent) : null
  const shared = c.tracking === 'shared'
  const behavioural = (v: string | number | undefined) => (shared && v !== undefined ? String(v) : NOT_SHARED)
  const rows: [string, preact.ComponentChildren][] = [
    ['Visitor', visitorId],
    ['Browser', device?.browser ?? '—'],
    ['OS', device?.os ?? '—'],
    ['Device', device?.device ?? '—'],
    ['Language', c.language ?? '—'],
    ['Page', c.title ? <><bdi>{c.title}</bdi><br /><Link url={c.url} /></> : <Link url={c.url} />],
    ['Referrer', <Link url={c.referrer} />],
    // The deployment rule whose invitation, offer or button the visitor came through (docs/rules.md).
    ...(c.ruleId ? [['Came through rule', <code>{c.ruleId}</code>] as [string, preact.ComponentChildren]] : []),
    ['Pages this visit', behavioural(c.pagesViewed)],
    ['Time on site', shared && c.timeOnSiteSec !== undefined ? duration(c.timeOnSiteSec) : NOT_SHARED],
    ['Returning visitor', shared && c.returning !== undefined ? (c.returning ? 'yes' : 'no') : NOT_SHARED],
    ['Visit count', behavioural(c.visitCount)],
    ['Local time', c.utcOffsetMin !== undefined ? `${localTime(c.utcOffsetMin, Date.now())}${c.timezone ? ` (${c.timezone})` : ''}` : c.timezone ?? '—'],
  ]
  // What the visitor typed and what the brand's page set with Parley('set') (by the brand's own
  // names, string values masked by the relay): anyone can claim anything there, so it says so.
  const typed: [string, string][] = [
    ...(name ?? contact?.name ? [['Name', (name ?? contact?.name)!] as [string, string]] : []),
    ...(contact?.email ? [['E-mail', contact.email] as [string, string]] : []),
    ...Object.entries(c.values ?? {}).map(([k, v]): [string, string] => [k, String(v)]),
  ]
  return (
    // Focusable: with survey answers it scrolls, and a keyboard must reach what is below.
    <aside class="context" aria-label="Visitor details" tabIndex={0}>
      {responses ? (
        <section class="survey-answers" aria-labelledby="answers-h">
          <h2 id="answers-h">Survey answers</h2>
          <RoutingBadges routing={routing} />
          <SurveyAnswers responses={responses} surveys={surveys ?? {}} />
        </section>
      ) : null}
      {customer ? <VerifiedIdentity customer={customer} /> : null}
      <h2>Visitor details</h2>
      <dl>
        {rows.map(([k, v], i) => (<div key={i}><dt>{k}</dt><dd>{v}</dd></div>))}
      </dl>
      {children}
      {/* Last: claims anyone could make, below what the relay and the brand vouch for. */}
      {typed.length ? (
        <section class="unverified" aria-labelledby="typed-h">
          <h2 id="typed-h">Unverified details</h2>
          <p class="muted">Typed by the visitor or set by the page: not confirmed by the brand.</p>
          <dl>
            {typed.map(([k, v], i) => (<div key={i}><dt>{k}</dt><dd><bdi>{v}</bdi></dd></div>))}
          </dl>
        </section>
      ) : null}
    </aside>
  )
}
